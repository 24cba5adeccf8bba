import { Anchor, Grid, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, dataOf, dataWithEtag, ifMatch } from '../../api/apiClient';
import type { Invoice, InvoiceLine } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { formatDayRange, formatInstant } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { LoadingBlock } from '../../components/LoadingBlock';
import { notifyDone, notifyFailed } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ProblemError } from '../../api/ProblemError';
import { Allowed, useSession } from '../../session/SessionProvider';
import { InvoiceDownloads } from './InvoiceDownloads';
import { InvoiceLinesTable } from './InvoiceLinesTable';
import { InvoiceNotesForm } from './InvoiceNotesForm';
import { InvoiceStatusBadge } from './InvoiceStatusBadge';
import { ManualLineForm } from './ManualLineForm';
import { customerTimeZone, useInvoice, useSettings } from './invoiceQueries';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

/** One invoice: header, lines, totals, notes, downloads and preview; a draft's edits and approval for the roles that may. */
export function InvoicePage() {
  const { invoiceId = '' } = useParams();
  const invoice = useInvoice(invoiceId);
  if (invoice.isPending)
    return (
      <>
        <PageHeader title="Invoice" />
        <LoadingBlock rows={12} height={32} />
      </>
    );
  if (invoice.error) {
    const missing = invoice.error instanceof ProblemError && invoice.error.problem.status === 404;
    return (
      <>
        <PageHeader title="Invoice" />
        {missing ? (
          <EmptyState title="No such invoice" action={<Anchor component={Link} to="/invoices">Back to the invoices</Anchor>}>
            It may have been a draft that was deleted; the invoice history lists the invoices there are.
          </EmptyState>
        ) : (
          <ProblemAlert error={invoice.error} title="The invoice could not be shown" />
        )}
      </>
    );
  }
  return <InvoiceView invoice={invoice.data.data} etag={invoice.data.etag} />;
}

function InvoiceView({ invoice, etag }: { invoice: Invoice; etag: string | undefined }) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const settings = useSettings();
  const customer = useQuery({ queryKey: ['customer', invoice.customerId], queryFn: () => dataOf(api.GET('/api/v1/customers/{id}', { params: { path: { id: invoice.customerId } } })) });
  const timeZone = customerTimeZone(customer.data, settings.data);
  const draft = invoice.status === 'draft';
  const editable = draft && can('bill');

  const afterEdit = (answer: { data: Invoice; etag: string | undefined }) => {
    queryClient.setQueryData(['invoice', invoice.id], answer);
    void queryClient.invalidateQueries({ queryKey: ['invoices'] });
  };

  const removeLine = useMutation({
    mutationFn: ({ position }: { position: number; line: InvoiceLine }) =>
      dataWithEtag(api.DELETE('/api/v1/invoices/{invoice}/lines/{line}', { params: { path: { invoice: invoice.id, line: position }, header: ifMatch(etag) } })),
    onSuccess: (answer, { line }) => {
      afterEdit(answer);
      notifyDone(`Line "${line.description}" removed`);
    },
    onError: (error) => notifyFailed(error, 'The line was not removed'),
  });

  const approve = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/invoices/{invoice}/approve', { params: { path: { invoice: invoice.id }, header: ifMatch(etag) } })),
    onSuccess: (approved) => {
      afterEdit({ data: approved, etag: undefined });
      notifyDone(`Invoice approved as number ${approved.number}`);
    },
    onError: (error) => notifyFailed(error, 'The invoice was not approved'),
  });

  const remove = useMutation({
    mutationFn: () => dataOf(api.DELETE('/api/v1/invoices/{invoice}', { params: { path: { invoice: invoice.id }, header: ifMatch(etag) } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['invoice', invoice.id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      notifyDone(`Draft of ${invoice.customerId} for ${formatDayRange(invoice.from, invoice.to)} deleted`);
      void navigate('/invoices');
    },
    onError: (error) => notifyFailed(error, 'The draft was not deleted'),
  });

  const title = draft ? `Draft invoice for ${invoice.customerId}` : `Invoice ${invoice.number} for ${invoice.customerId}`;
  return (
    <>
      <Anchor component={Link} to="/invoices" size="sm">
        ← Invoices
      </Anchor>
      <PageHeader
        title={title}
        description={formatDayRange(invoice.from, invoice.to)}
        actions={
          draft && (
            <>
              <Allowed permission="bill">
                <ConfirmButton
                  label="Delete draft"
                  variant="default"
                  color="red"
                  title="Delete this draft?"
                  confirmLabel="Delete draft"
                  loading={remove.isPending}
                  onConfirm={() => remove.mutateAsync().catch(() => undefined)}
                  message={
                    <>
                      This deletes the draft invoice of {invoice.customerId} for {formatDayRange(invoice.from, invoice.to)} ({formatMoney(invoice.total, invoice.currency)}, {invoice.lines.length} line
                      {invoice.lines.length === 1 ? '' : 's'}, its manual lines and notes). The calls, days and charges it billed return to non-invoiced: the next generation for this range bills them again.
                    </>
                  }
                />
              </Allowed>
              <Allowed permission="approve">
                <ConfirmButton
                  label="Approve invoice"
                  title="Approve this invoice? This is permanent."
                  confirmLabel="Approve invoice"
                  loading={approve.isPending}
                  onConfirm={() => approve.mutateAsync().catch(() => undefined)}
                  message={
                    <>
                      Approving gives this invoice the next number in the gapless sequence and records you as its approver. An approved invoice can never be edited or deleted: its
                      total of {formatMoney(invoice.total, invoice.currency)} and its lines are final. Corrections go on a later invoice.
                    </>
                  }
                />
              </Allowed>
            </>
          )
        }
      />
      <Stack>
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} component="dl" m={0} spacing="sm">
            <Fact label="Customer">
              {invoice.customerId}
              {customer.data ? ` · ${customer.data.name}` : ''}
            </Fact>
            <Fact label="Period">{formatDayRange(invoice.from, invoice.to)}</Fact>
            <Fact label="Status">
              <InvoiceStatusBadge status={invoice.status} />
            </Fact>
            <Fact label="Number">{invoice.number === null ? 'None until approved' : <span data-testid="invoice-number">{invoice.number}</span>}</Fact>
            <Fact label="Total">
              <Text span fw={700} size="sm" data-testid="invoice-header-total">
                {formatMoney(invoice.total, invoice.currency)}
              </Text>
            </Fact>
            <Fact label="Currency">{invoice.currency}</Fact>
            <Fact label="Time zone">{timeZone}</Fact>
            <Fact label="Created">{invoice.createdAt ? `${formatInstant(invoice.createdAt, timeZone)} ${timeZone}` : '—'}</Fact>
            <Fact label="Approved by">{invoice.approvedBy ?? 'Not yet'}</Fact>
            <Fact label="Approved at">{invoice.approvedAt ? `${formatInstant(invoice.approvedAt, timeZone)} ${timeZone}` : 'Not yet'}</Fact>
          </SimpleGrid>
        </Paper>

        <Paper withBorder p="md" aria-labelledby="lines-title">
          <Title order={2} size="h4" id="lines-title" mb="sm">
            Lines
          </Title>
          <InvoiceLinesTable invoice={invoice} onRemove={editable ? (position, line) => removeLine.mutate({ position, line }) : undefined} removing={removeLine.isPending} />
        </Paper>

        {editable ? (
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <ManualLineForm invoice={invoice} etag={etag} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <InvoiceNotesForm key={invoice.notes ?? ''} invoice={invoice} etag={etag} />
            </Grid.Col>
          </Grid>
        ) : (
          <Paper withBorder p="md" aria-labelledby="notes-title">
            <Title order={2} size="h4" id="notes-title" mb="xs">
              Notes
            </Title>
            <Text size="sm" c={invoice.notes ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
              {invoice.notes ?? 'No notes.'}
            </Text>
          </Paper>
        )}

        <InvoiceDownloads invoice={invoice} />
      </Stack>
    </>
  );
}
