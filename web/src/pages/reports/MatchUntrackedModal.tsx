import { Anchor, Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { formatInstant } from '../../components/formatDates';
import { notifyDone } from '../../components/notify';
import { addEntity, addMatchingRule, domainOf, entityIdFor } from './addMatchFor';
import { customerServicesQuery } from './reportQueries';
import { allCustomersQuery } from '../../api/allCustomersQuery';

type What = 'alias' | 'domain' | 'entity';

/**
 * The shortcut from an untracked alias to what would match it: a matching rule (the alias or its
 * domain) or an entity with that alias, for a chosen customer. The reports match calls before they
 * answer, so the untracked list read again no longer holds what now matches.
 */
export function MatchUntrackedModal({ alias, firstCallAt, opened, onClose }: { alias: string; firstCallAt: string; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Match ${alias} to a customer`} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {opened && <MatchForm alias={alias} firstCallAt={firstCallAt} onDone={onClose} />}
    </Modal>
  );
}

function MatchForm({ alias, firstCallAt, onDone }: { alias: string; firstCallAt: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const customers = useQuery(allCustomersQuery);
  const domain = domainOf(alias);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [what, setWhat] = useState<What>('alias');
  const [entityId, setEntityId] = useState(entityIdFor(alias));
  const [serviceType, setServiceType] = useState<string | null>(null);
  const services = useQuery({ ...customerServicesQuery(customerId ?? ''), enabled: what === 'entity' && customerId !== null });
  const [customerMissing, setCustomerMissing] = useState(false);

  const add = useMutation({
    mutationFn: async (id: string) => {
      if (what === 'entity') return addEntity(id, { id: entityId, serviceType: serviceType ?? '', alias, createdAt: firstCallAt });
      return addMatchingRule(id, { kind: what, value: what === 'domain' ? domain! : alias });
    },
    onSuccess: async (_, id) => {
      notifyDone(what === 'entity' ? `Entity ${entityId} added to ${id}; its calls are matched again.` : `Matching rule added to ${id}; the calls in no invoice are matched again.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['reports'] }),
        queryClient.invalidateQueries({ queryKey: ['calls'] }),
        queryClient.invalidateQueries({ queryKey: ['customer', id] }),
      ]);
      onDone();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (customerId === null) {
      setCustomerMissing(true);
      return;
    }
    add.mutate(customerId);
  };

  const submitLabel = what === 'entity' ? 'Add entity' : what === 'domain' ? 'Add domain rule' : 'Add alias rule';
  return (
    <form onSubmit={submit}>
      <Stack>
        <Select
          label="Customer"
          description="The customer these calls belong to."
          placeholder="Choose a customer"
          data={customers.data?.map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` })) ?? []}
          value={customerId}
          onChange={(value) => {
            setCustomerId(value);
            setCustomerMissing(false);
            setServiceType(null);
          }}
          searchable
          required
          error={customerMissing ? 'Choose the customer to match the calls to.' : undefined}
        />
        <Radio.Group label="What to add" value={what} onChange={(value) => setWhat(value as What)}>
          <Stack gap={6} mt={6}>
            <Radio value="alias" label={`A matching rule for the alias ${alias}`} />
            {domain && <Radio value="domain" label={`A matching rule for the domain ${domain} (and its subdomains)`} />}
            <Radio value="entity" label="An entity with this alias (billed by its service type)" />
          </Stack>
        </Radio.Group>
        {what === 'entity' && (
          <>
            <TextInput
              label="Entity id"
              description="A lower-case slug, unique for ever (a-z, 0-9, . _ -)."
              value={entityId}
              onChange={(e) => setEntityId(e.currentTarget.value)}
              required
              error={fieldError(add.error, 'id')}
            />
            <Select
              label="Service type"
              placeholder={customerId === null ? 'Choose the customer first' : 'Choose a service type'}
              data={services.data?.serviceTypes.map((s) => ({ value: s.serviceType, label: s.billable ? `${s.serviceType} (${s.monthlyPrice ?? 'no price'} a month)` : `${s.serviceType} (not billable)` })) ?? []}
              value={serviceType}
              onChange={setServiceType}
              disabled={customerId === null}
              required
              error={fieldError(add.error, 'serviceType')}
            />
            <Text size="xs" c="dimmed">
              The entity exists from the first untracked call of the alias ({formatInstant(firstCallAt, 'UTC')} UTC), so its calls match it; its service days are billed from then.
            </Text>
          </>
        )}
        <ProblemAlert error={add.error} title="Not added" />
        <Group justify="space-between" wrap="wrap">
          {customerId !== null ? (
            <Anchor component={Link} to={`/customers/${encodeURIComponent(customerId)}?alias=${encodeURIComponent(alias)}`} size="sm">
              Test on the customer page
            </Anchor>
          ) : (
            <span />
          )}
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              {submitLabel}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
