import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { Invoice } from '../../api/schemas';
import { invoiceLabel } from './invoiceQueries';

/** The invoice's files: plain links (the session cookie authenticates GETs), and the PDF previewed in the page. */
export function InvoiceDownloads({ invoice }: { invoice: Invoice }) {
  const base = `/api/v1/invoices/${encodeURIComponent(invoice.id)}`;
  const files = [
    { path: 'pdf', label: 'Download PDF' },
    { path: 'csv', label: 'Download CSV' },
    { path: 'calls-csv', label: 'Download calls CSV' },
  ];
  return (
    <Paper withBorder p="md" aria-labelledby="downloads-title">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="downloads-title">
            PDF and downloads
          </Title>
          <Group gap="xs">
            {files.map((file) => (
              <Button key={file.path} component="a" href={`${base}/${file.path}`} download variant="default" size="xs" leftSection={<IconDownload size={16} aria-hidden />}>
                {file.label}
              </Button>
            ))}
          </Group>
        </Group>
        {/* The key reloads the preview after an edit (the PDF of a draft changes with it). */}
        <iframe
          key={`${invoice.total}|${invoice.lines.length}|${invoice.notes ?? ''}|${invoice.status}`}
          title={`Preview of the PDF of invoice ${invoiceLabel(invoice)} for ${invoice.customerId}`}
          src={`${base}/pdf?disposition=inline`}
          style={{ width: '100%', height: 720, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}
        />
      </Stack>
    </Paper>
  );
}
