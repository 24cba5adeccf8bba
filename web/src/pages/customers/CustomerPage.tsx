import { Anchor, Badge, Breadcrumbs, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ProblemError } from '../../api/ProblemError';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { AliasTestSection } from './AliasTestSection';
import { BillingDetailsSection } from './BillingDetailsSection';
import { currencyOn } from './customerCurrency';
import { customerDetailQuery, useDefaultTimeZone, usePlansById } from './customerQueries';
import { EntitiesSection } from './EntitiesSection';
import { MatchingRulesSection } from './MatchingRulesSection';
import { OneOffChargesSection } from './OneOffChargesSection';
import { PlanTimeline } from './PlanTimeline';
import { ServicesSection } from './ServicesSection';

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {!description && <div style={{ height: 8 }} />}
      {children}
    </Paper>
  );
}

/** One customer: billing details, plans over time, what matches its calls, entities, services and one-off charges. */
export function CustomerPage() {
  const { customerId = '' } = useParams();
  const [params] = useSearchParams();
  const customer = useQuery(customerDetailQuery(customerId));
  const plans = usePlansById();
  const defaultZone = useDefaultTimeZone();
  const crumbs = (
    <Breadcrumbs mb="xs">
      <Anchor component={Link} to="/customers" size="sm">
        Customers
      </Anchor>
      <Text size="sm">{customerId}</Text>
    </Breadcrumbs>
  );
  if (customer.isPending)
    return (
      <>
        {crumbs}
        <LoadingBlock rows={12} height={32} />
      </>
    );
  if (customer.isError)
    return (
      <>
        {crumbs}
        {customer.error instanceof ProblemError && customer.error.problem.status === 404 ? (
          <EmptyState title={`No customer "${customerId}"`} action={<Anchor component={Link} to="/customers">Search the customers</Anchor>}>
            Check the id in the address, or find the customer by name in the list.
          </EmptyState>
        ) : (
          <ProblemAlert error={customer.error} title="The customer could not be read" />
        )}
      </>
    );
  const c = customer.data;
  const timeZone = c.timezone ?? defaultZone ?? 'UTC';
  const currency = currencyOn(c, plans.data);
  return (
    <>
      {crumbs}
      <PageHeader
        title={c.name}
        description={
          <Group gap="xs" component="span">
            <span>{c.id}</span>
            <Badge variant="outline" size="sm" component="span">
              {timeZone}
              {c.timezone === null ? ' (default)' : ''}
            </Badge>
            {currency && (
              <Badge variant="outline" size="sm" component="span">
                {currency}
              </Badge>
            )}
          </Group>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Section title="Billing details" description="The Bill to block of its invoices.">
              <BillingDetailsSection customer={c} defaultZone={defaultZone} />
            </Section>
            <Section title="Plan assignments" description={`Days in ${timeZone}; each plan from its first day to the day before the next.`}>
              <PlanTimeline customer={c} plans={plans.data} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Section title="Test an alias" description="Which customer a call from this address would be billed to now, and by which rule.">
              <AliasTestSection customer={c} initialAlias={params.get('alias') ?? ''} />
            </Section>
            <Section title="Matching rules" description="The rules that make a call this customer's, tried in this order (the aliases of its entities match too).">
              <MatchingRulesSection customer={c} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={12}>
          <Section title="Entities" description="Rooms, spaces and gateways provisioned for it: their aliases match its calls, their service types are billed monthly.">
            <EntitiesSection customer={c} timeZone={timeZone} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Section title="Available services">
            <ServicesSection customerId={c.id} currency={currency} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Section title="One-off charges" description="Billed once, on the invoice of the month of their date.">
            <OneOffChargesSection customer={c} plans={plans.data} />
          </Section>
        </Grid.Col>
      </Grid>
    </>
  );
}
