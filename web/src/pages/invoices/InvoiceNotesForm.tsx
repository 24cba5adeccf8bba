import { Button, Group, Paper, Stack, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataWithEtag, ifMatch } from '../../api/apiClient';
import type { Invoice } from '../../api/schemas';
import { notifyDone } from '../../components/notify';
import { ProblemAlert, fieldError } from '../../components/ProblemAlert';

/** The notes printed on a draft; an empty text clears them. */
export function InvoiceNotesForm({ invoice, etag }: { invoice: Invoice; etag: string | undefined }) {
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState(invoice.notes ?? '');
  const save = useMutation({
    mutationFn: () => dataWithEtag(api.PUT('/api/v1/invoices/{invoice}/notes', { params: { path: { invoice: invoice.id }, header: ifMatch(etag) }, body: { notes } })),
    onSuccess: (answer) => {
      queryClient.setQueryData(['invoice', invoice.id], answer);
      notifyDone(notes.trim() === '' ? 'Notes cleared' : 'Notes saved');
    },
  });
  const unchanged = notes === (invoice.notes ?? '');
  const tooLong = notes.length > 4000 ? `At most 4000 characters (${notes.length} now)` : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!tooLong && !unchanged) save.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="notes-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="notes-title">
          Notes
        </Title>
        <Textarea label="Notes printed on the invoice" description="Leave empty for none" autosize minRows={2} maxRows={8} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={tooLong ?? fieldError(save.error, 'notes')} />
        <ProblemAlert error={save.error} title="The notes were not saved" />
        <Group justify="flex-end">
          <Button type="submit" variant="default" disabled={unchanged || !!tooLong} loading={save.isPending}>
            Save notes
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
