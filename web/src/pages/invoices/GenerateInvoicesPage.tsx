import { Alert, Anchor, Button, Checkbox, Group, List, MultiSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../../api/apiClient';
import { ProblemError } from '../../api/ProblemError';
import type { components } from '../../api/openApiTypes';
import { formatDayRange, todayIn } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { notifyDone } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert, fieldError } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { EmptyState } from '../../components/EmptyState';
import { dayAfter } from '../../components/calendarDays';
import { useCustomers, useSettings } from './invoiceQueries';
import { settlementDelayText } from './settlementDelayText';

type Outcome = components['schemas']['InvoiceGenerationOutcome'];

/** The month before the one of `today` (YYYY-MM-DD): the range an operator usually invoices. */
function previousMonth(today: string): { from: string; lastDay: string } {
  const first = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  const lastDay = new Date(first);
  lastDay.setUTCDate(0);
  const from = new Date(lastDay);
  from.setUTCDate(1);
  return { from: from.toISOString().slice(0, 10), lastDay: lastDay.toISOString().slice(0, 10) };
}

/** Generate drafts for some customers (or all) and a range; says what it did per customer. */
export function GenerateInvoicesPage() {
  const { can } = useSession();
  return (
    <>
      <PageHeader title="Generate invoices" description="Draft invoices of what is not invoiced yet, one per customer and currency." />
      {can('bill') ? <GenerateInvoicesForm /> : <EmptyState title="Your role cannot generate invoices">A user with the billing or admin role generates them; the invoice history shows those there are.</EmptyState>}
    </>
  );
}

function GenerateInvoicesForm() {
  const customers = useCustomers();
  const settings = useSettings();
  const queryClient = useQueryClient();
  const defaults = previousMonth(todayIn(settings.data?.timezone ?? 'UTC'));
  const [all, setAll] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [from, setFrom] = useState<string | null>(defaults.from);
  const [lastDay, setLastDay] = useState<string | null>(defaults.lastDay);
  const [touched, setTouched] = useState(false);

  const generate = useMutation({
    mutationFn: (request: { from: string; lastDay: string }) =>
      dataOf(api.POST('/api/v1/invoices/generate', { body: { ...(all ? { all: true as const } : { customers: selected }), from: request.from, to: dayAfter(request.lastDay) } })),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['invoices'] });
      const made = answer.customers.reduce((n, o) => n + (o.result === 'created' ? o.invoices.length : 0), 0);
      notifyDone(`${made} draft invoice${made === 1 ? '' : 's'} generated`);
    },
  });

  const customersError = touched && !all && selected.length === 0 ? 'Choose one or more customers, or tick "All customers"' : fieldError(generate.error, 'customers');
  const fromError = touched && !from ? 'Give the first day of the range' : fieldError(generate.error, 'from');
  const lastDayError =
    touched && !lastDay ? 'Give the last day of the range' : from && lastDay && lastDay < from ? 'The last day must be on or after the first day' : undefined;
  const invalid = (!all && selected.length === 0) || !from || !lastDay || lastDay < from;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid || !from || !lastDay) return;
    generate.mutate({ from, lastDay });
  };

  const delay = generate.error instanceof ProblemError && generate.error.problem.code === 'settlement-delay' ? generate.error.problem : undefined;

  return (
    <Stack maw={760}>
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Generate invoices">
        <Stack>
          <Checkbox label="All customers" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
          <MultiSelect
            label="Customers"
            description="The customers to invoice"
            placeholder={selected.length ? undefined : 'Search by id or name'}
            data={(customers.data ?? []).map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` }))}
            value={all ? [] : selected}
            onChange={setSelected}
            disabled={all}
            searchable
            clearable
            error={customersError}
          />
          <Group grow align="flex-start">
            <DateInput label="First day" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" value={from} onChange={setFrom} error={fromError} required />
            <DateInput label="Last day" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" value={lastDay} onChange={setLastDay} error={lastDayError} required />
          </Group>
          {from && lastDay && lastDay >= from && (
            <Text size="sm" c="dimmed">
              Invoices will cover {formatDayRange(from, dayAfter(lastDay))}, in each customer&apos;s time zone.
            </Text>
          )}
          {delay ? (
            <Alert color="red.9" variant="outline" title="Too early to invoice this range" role="alert">
              <Text size="sm">{settlementDelayText(delay, generate.variables?.lastDay ?? lastDay ?? '', customers.data ?? [], settings.data)}</Text>
            </Alert>
          ) : (
            <ProblemAlert error={generate.error} title="No invoices were generated" />
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={generate.isPending}>
              Generate invoices
            </Button>
          </Group>
        </Stack>
      </Paper>
      {generate.data && <GenerationOutcomes outcomes={generate.data.customers} />}
    </Stack>
  );
}

function GenerationOutcomes({ outcomes }: { outcomes: Outcome[] }) {
  return (
    <Paper withBorder p="md" aria-labelledby="generation-outcomes">
      <Title order={2} size="h4" id="generation-outcomes" mb="sm">
        What was generated
      </Title>
      <List spacing="xs" aria-label="Outcome per customer">
        {outcomes.map((outcome) => (
          <List.Item key={outcome.customerId}>
            <Text size="sm" fw={600} span>
              {outcome.customerId}:{' '}
            </Text>
            {outcome.result === 'created' ? (
              <Text size="sm" span>
                {outcome.invoices.map((invoice, i) => (
                  <span key={invoice.id}>
                    {i > 0 && '; '}
                    draft created for {formatDayRange(invoice.from, invoice.to)}, {formatMoney(invoice.total, invoice.currency)} —{' '}
                    <Anchor component={Link} to={`/invoices/${invoice.id}`} size="sm">
                      Open the {invoice.currency} draft of {outcome.customerId}
                    </Anchor>
                  </span>
                ))}
              </Text>
            ) : outcome.result === 'nothing-to-bill' ? (
              <Text size="sm" span>
                skipped, nothing to bill in this range (no invoice made; anything later billed stays open).
              </Text>
            ) : (
              <Text size="sm" span>
                skipped, a draft already covers part of this range:{' '}
                {outcome.drafts.map((draft, i) => (
                  <span key={draft.id}>
                    {i > 0 && ', '}
                    <Anchor component={Link} to={`/invoices/${draft.id}`} size="sm">
                      {draft.currency} draft, {formatDayRange(draft.from, draft.to)}
                    </Anchor>
                  </span>
                ))}
                . Review, approve or delete it to generate again.
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
