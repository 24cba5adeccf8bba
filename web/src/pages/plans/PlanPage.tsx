import { Anchor, Badge, Breadcrumbs, Group, Paper, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { ProblemError } from '../../api/ProblemError';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Allowed, useSession } from '../../session/SessionProvider';
import { AssignCustomersForm } from './AssignCustomersForm';
import { CopyPlanButton } from './CopyPlanButton';
import { DeletePlanButton } from './DeletePlanButton';
import { PlanCustomers } from './PlanCustomers';
import { PlanDefinitionView } from './PlanDefinitionView';
import { PlanEditForm } from './PlanEditForm';
import { PlanHistory } from './PlanHistory';
import { PlanLockPanel } from './PlanLockPanel';
import { useInvoicesUsingPlan, usePlan } from './planQueries';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** One plan: its components (the edit form while unlocked), lock state, customers and history. */
export function PlanPage() {
  const planId = useParams().planId!;
  const { can } = useSession();
  const query = usePlan(planId);
  const plan = query.data?.data;
  const customerIds = [...new Set(plan?.assignments.map((a) => a.customerId) ?? [])];
  const invoices = useInvoicesUsingPlan(planId, customerIds);
  const crumbs = (
    <Breadcrumbs mb="xs">
      <Anchor component={Link} to="/plans" size="sm">
        Price plans
      </Anchor>
      <span>{planId}</span>
    </Breadcrumbs>
  );
  if (query.isPending)
    return (
      <>
        {crumbs}
        <LoadingBlock rows={12} height={32} />
      </>
    );
  if (query.error)
    return (
      <>
        {crumbs}
        {query.error instanceof ProblemError && query.error.problem.status === 404 ? (
          <EmptyState title={`No plan ${planId}`} action={<Anchor component={Link} to="/plans">Back to the price plans</Anchor>}>
            It may have been deleted. Pick a plan from the list.
          </EmptyState>
        ) : (
          <ProblemAlert error={query.error} title="The plan could not be read" />
        )}
      </>
    );
  const { etag } = query.data;
  const p = query.data.data;
  const usingInvoices = invoices.data ?? [];
  const editable = !p.template && !p.locked && p.draft !== null;
  return (
    <>
      {crumbs}
      <PageHeader
        title={
          <Group gap="sm" component="span">
            {p.name}
            {p.template ? <Badge variant="outline">Built-in template</Badge> : p.locked ? <Badge color="blue">Locked · version {p.version}</Badge> : <Badge color="violet">Unlocked · version {p.version} in force</Badge>}
          </Group>
        }
        description={`${p.id} · ${p.currency}`}
        actions={
          <Allowed permission="bill">
            <CopyPlanButton from={p.id} variant="light" />
            {!p.template && <DeletePlanButton plan={p} etag={etag} invoices={usingInvoices} />}
          </Allowed>
        }
      />
      <Stack gap="md">
        {!p.template && <PlanLockPanel plan={p} etag={etag} draftInvoices={usingInvoices.filter((i) => i.status === 'draft')} />}
        {editable && can('bill') ? (
          <Section title="Draft (edit)">
            <PlanEditForm key={etag} plan={p} draft={p.draft!} etag={etag} />
          </Section>
        ) : editable ? (
          <Section title="Draft (not in force yet)">
            <PlanDefinitionView definition={p.draft!} label="Draft" />
          </Section>
        ) : null}
        <Section title={p.template ? 'Components' : `Version ${p.version} (in force)`}>
          <PlanDefinitionView definition={p} label={p.template ? 'Components' : 'In force'} />
        </Section>
        <Section title="Customers on the plan">
          <Stack>
            <PlanCustomers assignments={p.assignments} isTemplate={p.template} />
            {!p.template && (
              <Allowed permission="bill">
                <Title order={3} size="h5">
                  Assign to customers
                </Title>
                <AssignCustomersForm plan={p} />
              </Allowed>
            )}
          </Stack>
        </Section>
        <Section title="History">
          <PlanHistory planId={p.id} />
        </Section>
      </Stack>
    </>
  );
}
