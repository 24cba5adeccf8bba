import { Badge, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { PlanDefinition } from '../../api/schemas';
import { formatMoney } from '../../components/formatMoney';
import { offerOf } from './planFormValues';

const wildcard = (value: string, any: string) => (value === '*' ? <Text span fs="italic">{any} (*)</Text> : value);

export function ServiceOfferText({ price, currency }: { price: string; currency: string }) {
  const offer = offerOf(price);
  if (offer === 'not-available') return <Text span size="sm" c="dimmed">Not available</Text>;
  if (offer === 'free') return <Text span size="sm" fw={600}>Free (available at no charge)</Text>;
  return <>{formatMoney(price, currency, 'unit-price')} a month per unit</>;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** Every component of a plan definition, read-only (docs/billing-rules.md §3). */
export function PlanDefinitionView({ definition: d, label }: { definition: PlanDefinition; label: string }) {
  const money = (amount: string) => formatMoney(amount, d.currency, 'unit-price');
  return (
    <Stack gap="md" aria-label={label} component="section">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Fact label="Monthly fee">{formatMoney(d.monthlyFee, d.currency)}</Fact>
        <Fact label="Port pool">{d.portPool ? `${d.portPool.ports} ports, ${money(d.portPool.overagePerPortMinute)} per port-minute beyond` : 'None'}</Fact>
        <Fact label="Included minutes">
          {d.includedMinutes ? `${d.includedMinutes.minutesPerMonth} minutes a month, ${money(d.includedMinutes.overagePerMinute)} per minute beyond` : 'None'}
        </Fact>
      </SimpleGrid>
      <Title order={3} size="h5">
        Call rates
      </Title>
      {d.callRates.length === 0 ? (
        <Text size="sm" c="dimmed">
          No call rates: calls cost nothing on this plan (and are flagged “no-rate” in the reports).
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped aria-label={`${label}: call rates`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Category</Table.Th>
                <Table.Th>Direction</Table.Th>
                <Table.Th ta="right">Startup charge</Table.Th>
                <Table.Th ta="right">Per minute</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.callRates.map((r, i) => (
                <Table.Tr key={i} data-testid={`rate-${r.category}-${r.direction}`}>
                  <Table.Td>{wildcard(r.category, 'any category')}</Table.Td>
                  <Table.Td>{wildcard(r.direction, 'any direction')}</Table.Td>
                  <Table.Td ta="right">{money(r.startupCharge)}</Table.Td>
                  <Table.Td ta="right">{money(r.perMinute)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap="xs">
          <Title order={3} size="h5">
            Services
          </Title>
          {Object.keys(d.services).length === 0 ? (
            <Text size="sm" c="dimmed">
              No service listed: none is available to the customers of this plan.
            </Text>
          ) : (
            <Table aria-label={`${label}: services`}>
              <Table.Tbody>
                {Object.entries(d.services).map(([type, price]) => (
                  <Table.Tr key={type}>
                    <Table.Td>{type}</Table.Td>
                    <Table.Td>
                      <ServiceOfferText price={price} currency={d.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            Custom elements
          </Title>
          {d.customElements.length === 0 ? (
            <Text size="sm" c="dimmed">
              None.
            </Text>
          ) : (
            <Table aria-label={`${label}: custom elements`}>
              <Table.Tbody>
                {d.customElements.map((e, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{e.name}</Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {String(e.quantity)} × {money(e.unitPrice)}
                        <Badge variant="light">{e.recurrence === 'once' ? 'once per assignment' : 'monthly'}</Badge>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
