import { Alert, Button, Card, FileInput, Group, List, Progress, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { rejectedQueryKey, sourcesQueryKey, useSources } from './callQueries';
import { callDataFormats } from './callDataFormats';
import { uploadCallFile, type UploadAnswer } from './uploadCallFile';

const byFile = '';

/** Upload a CDR file: the bytes sent as a progress bar, then what ingest made of it. */
export function UploadPanel() {
  const queryClient = useQueryClient();
  const sources = useSources(useSession().can('read'));
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<string>(byFile);
  const [format, setFormat] = useState<string | null>('confbill-csv');
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();

  const configuredFormat = sources.data?.items.find((s) => s.source === source)?.format ?? null;
  const upload = useMutation({
    mutationFn: (f: File) => uploadCallFile({ file: f, format: format ?? undefined, source: source || undefined }, (sent, total) => setProgress({ sent, total })),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: sourcesQueryKey }), queryClient.invalidateQueries({ queryKey: rejectedQueryKey }), queryClient.invalidateQueries({ queryKey: ['calls'] })]),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setFileError('Choose the CDR file to upload.');
      return;
    }
    setProgress({ sent: 0, total: file.size });
    upload.mutate(file);
  };
  const percent = progress ? (progress.total === 0 ? 100 : Math.round((progress.sent / progress.total) * 100)) : 0;
  const sourceOptions = [{ value: byFile, label: 'The source column of the file' }, ...(sources.data?.items ?? []).map((s) => ({ value: s.source, label: s.format ? `${s.source} (${s.format})` : s.source }))];

  return (
    <Stack gap="lg">
      <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Upload a CDR file">
        <Title order={2} size="h4" mb={4}>
          Upload a CDR file
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          The records are stored, matched to customers and rated. Uploading the same records again stores nothing twice.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Source"
            description="The system the file comes from"
            data={sourceOptions}
            value={source}
            allowDeselect={false}
            onChange={(value) => {
              setSource(value ?? byFile);
              const configured = sources.data?.items.find((s) => s.source === value)?.format;
              if (configured) setFormat(null);
            }}
          />
          <Select
            label="Format"
            description={configuredFormat ? `Empty: the source’s format, ${configuredFormat}` : 'The format of the records in the file'}
            data={callDataFormats}
            value={format}
            onChange={setFormat}
            allowDeselect={false}
            clearable={configuredFormat !== null}
            placeholder={configuredFormat ?? 'Choose the format'}
          />
          <FileInput
            label="CDR file"
            description="CSV, XML or JSON as the format reads it"
            placeholder="Choose a file"
            // The button's name must hold the text it shows (the placeholder or the file name), not only the label.
            aria-label={`CDR file: ${file?.name ?? 'Choose a file'}`}
            styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
            value={file}
            onChange={(f) => {
              setFile(f);
              setFileError(undefined);
              setProgress(null);
              upload.reset();
            }}
            error={fileError}
            clearable
            clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
          />
        </SimpleGrid>
        <Group mt="md" align="center">
          <Button type="submit" leftSection={<IconUpload size={16} aria-hidden />} loading={upload.isPending} disabled={!format && !configuredFormat}>
            Upload and ingest
          </Button>
          {progress && (
            <Stack gap={2} style={{ flex: 1, minWidth: 220 }}>
              <Progress value={percent} size="lg" aria-label="Bytes sent" striped={upload.isPending && percent < 100} animated={upload.isPending && percent < 100} />
              <Text size="xs" c="dimmed" data-testid="upload-progress-text">
                {percent} % sent — {progress.sent.toLocaleString()} of {progress.total.toLocaleString()} bytes
                {upload.isPending && percent >= 100 ? '; ingesting…' : ''}
              </Text>
            </Stack>
          )}
        </Group>
      </Card>
      {upload.isError && <ProblemAlert error={upload.error} title="The file was not ingested" />}
      {upload.data && <IngestSummaryCard answer={upload.data} fileName={file?.name ?? 'upload'} />}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value.toLocaleString()}
      </Text>
    </Stack>
  );
}

function IngestSummaryCard({ answer, fileName }: { answer: UploadAnswer; fileName: string }) {
  const s = answer.summary;
  return (
    <Card withBorder padding="md" aria-label="Ingest summary" component="section">
      <Title order={2} size="h4" mb="sm">
        Ingest summary: {fileName} ({answer.format})
      </Title>
      {answer.outcome === 'empty' && (
        <Alert color="yellow" mb="sm">
          The file held no records (nothing, or a header only).
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
        <Figure label="Records read" value={s.read} testId="summary-read" />
        <Figure label="Stored (new)" value={s.new} testId="summary-stored" />
        <Figure label="Updated" value={s.updated} testId="summary-updated" />
        <Figure label="Duplicates" value={s.unchanged} testId="summary-duplicates" />
        <Figure label="Refused changes" value={s.conflicts} testId="summary-conflicts" />
        <Figure label="Rejected" value={s.rejected} testId="summary-rejected" />
        <Figure label="Excluded" value={s.excluded} testId="summary-excluded" />
      </SimpleGrid>
      {s.conflicts > 0 && (
        <Text size="sm" mt="sm">
          Refused changes are records that would change calls already on an approved invoice; the invoiced calls were kept.
        </Text>
      )}
      {Object.keys(s.excludedReasons).length > 0 && (
        <Text size="sm" mt="sm">
          Excluded: {Object.entries(s.excludedReasons).map(([reason, n]) => `${reason} (${n})`).join(', ')}
        </Text>
      )}
      {s.firstRejects.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="md">
            Rejected records{s.rejected > s.firstRejects.length ? ` (the first ${s.firstRejects.length} of ${s.rejected})` : ''}
          </Text>
          <List size="sm" data-testid="summary-rejects">
            {s.firstRejects.map((r, i) => (
              <List.Item key={i}>
                Line {r.line ?? '?'}
                {r.field ? `, field ${r.field}` : ''}: {r.reason}
              </List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            Every reject is kept: see them on the <Link to="/calls/sources">Sources</Link> tab. Fix the records and upload them again.
          </Text>
        </>
      )}
    </Card>
  );
}
