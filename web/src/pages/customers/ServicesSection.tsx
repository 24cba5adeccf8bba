import { Badge, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../../api/apiClient';
import { EmptyState } from '../../components/EmptyState';
import { formatDay } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { customerServicesQuery } from './customerQueries';

/** A plan's monthly price of a type: > 0 billed, 0 free, negative ("-1") not available, null not priced. */
function availability(monthlyPrice: string | null): { label: string; color: string } {
  if (monthlyPrice === null) return { label: 'Available, not priced', color: 'gray' };
  if (monthlyPrice.startsWith('-')) return { label: 'Not available in the plan', color: 'red' };
  if (/^0*(\.0*)?$/.test(monthlyPrice)) return { label: 'Free', color: 'teal' };
  return { label: 'Available', color: 'green' };
}

/** The service types the customer may be given now, with the monthly prices of its plan in force. */
export function ServicesSection({ customerId, currency }: { customerId: string; currency: string | undefined }) {
  const services = useQuery(customerServicesQuery(customerId));
  const planId = services.data?.planId ?? null;
  // The API lists what may be given; the plan's "-1" types (not available) are read from the plan, to say so.
  const plan = useQuery({ queryKey: ['plan', planId], queryFn: () => dataOf(api.GET('/api/v1/plans/{id}', { params: { path: { id: planId! } } })), enabled: planId !== null });
  if (services.isPending) return <LoadingBlock rows={3} />;
  if (services.isError) return <ProblemAlert error={services.error} title="The available services could not be read" />;
  const s = services.data;
  const listed = new Set(s.serviceTypes.map((t) => t.serviceType));
  const unavailable = Object.entries(plan.data?.services ?? {})
    .filter(([type, price]) => price.startsWith('-') && !listed.has(type))
    .map(([serviceType, monthlyPrice]) => ({ serviceType, monthlyPrice, billable: false }));
  const rows = [...s.serviceTypes, ...unavailable];
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        On {formatDay(s.date)} ({s.timeZone}) under {s.planId ? <code>{s.planId}</code> : 'no plan'}.{' '}
        {s.limited ? 'Only the types the plan prices at 0 or more may be given (limitAvailableServicesToBillableServices is on).' : 'Every known type may be given; the plan decides the price.'}
      </Text>
      {rows.length === 0 ? (
        <EmptyState title="No service type is available">Give the plan in force a monthly price of 0 or more for a service type (0 = free), or assign a plan that does.</EmptyState>
      ) : (
        <Table aria-label="Available services" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service type</Table.Th>
              <Table.Th>Availability</Table.Th>
              <Table.Th ta="right">Monthly price</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => {
              const a = availability(t.monthlyPrice);
              return (
                <Table.Tr key={t.serviceType}>
                  <Table.Td>{t.serviceType}</Table.Td>
                  <Table.Td>
                    <Badge color={a.color} variant="dot" size="sm">
                      {a.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{t.monthlyPrice !== null && !t.monthlyPrice.startsWith('-') && currency ? formatMoney(t.monthlyPrice, currency) : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
