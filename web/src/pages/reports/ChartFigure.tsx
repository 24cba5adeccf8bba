import { Box, Group, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A chart with its accessible name: a heading, the drawing as one image whose label says what it
 * shows (screen readers get the label, not the SVG's parts), and a text or table summary under it.
 */
export function ChartFigure({ id, title, label, summary, controls, children, height = 280 }: { id: string; title: string; label: string; summary: ReactNode; controls?: ReactNode; children: ReactNode; height?: number }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-title`} data-testid={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={3} size="h4" id={`${id}-title`}>
            {title}
          </Title>
          {controls}
        </Group>
        <Box role="img" aria-label={label} h={height} data-testid={`${id}-drawing`}>
          {children}
        </Box>
        {summary}
      </Stack>
    </Paper>
  );
}
