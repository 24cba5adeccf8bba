import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * A secret the API gives in its creation answer only (an API key, a webhook's signing secret): the
 * page says it will not be shown again, offers to copy it, and forgets it when the operator says it is stored.
 */
export function SecretShownOnce({ label, title, explanation, secret, noun, testId, onDone }: { label: string; title: string; explanation: ReactNode; secret: string; noun: string; testId?: string; onDone: () => void }) {
  return (
    <section aria-label={label}>
      <Alert color="yellow" styles={{ title: { color: 'var(--mantine-color-text)' } }} icon={<IconAlertTriangle aria-hidden />} title={title}>
        <Stack gap="sm">
          <Text size="sm">{explanation}</Text>
          <Group gap="xs" wrap="nowrap">
            <Code block data-testid={testId} style={{ flex: 1, wordBreak: 'break-all' }}>
              {secret}
            </Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}>
                  {copied ? 'Copied' : `Copy ${noun}`}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={onDone}>I have stored the {noun}</Button>
          </Group>
        </Stack>
      </Alert>
    </section>
  );
}
