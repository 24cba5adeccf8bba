import { Button, Modal, Select, Stack, TextInput, Group, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, dataWithEtag } from '../../api/apiClient';
import { ProblemAlert, fieldError } from '../../components/ProblemAlert';
import { planKeys, usePlans } from './planQueries';

const slug = /^[a-z0-9][a-z0-9._-]*$/;

export function planIdError(id: string, taken: string[]): string | undefined {
  if (id === '') return undefined;
  if (!slug.test(id)) return 'Lower-case letters, digits, "-", "." or "_", starting with a letter or digit (e.g. eur-payg-edu)';
  if (id.length > 64) return 'At most 64 characters';
  if (taken.includes(id)) return 'A plan with this id exists already';
  return undefined;
}

/** Copy a built-in template or a plan (at its version in force) to a new locked plan, then open it. */
export function CopyPlanButton({ from, ...buttonProps }: { from?: string } & Omit<ButtonProps, 'children' | 'onClick'>) {
  const [opened, { open, close }] = useDisclosure(false);
  const plans = usePlans();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [copyOf, setCopyOf] = useState<string | null>(from ?? null);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const idError = planIdError(id, (plans.data ?? []).map((p) => p.id));
  const copy = useMutation({
    mutationFn: () => dataWithEtag(api.POST('/api/v1/plans', { body: { copyOf: copyOf!, id, name: name.trim() || undefined } })),
    onSuccess: (created) => {
      queryClient.setQueryData(planKeys.plan(created.data.id), created);
      void queryClient.invalidateQueries({ queryKey: planKeys.list });
      close();
      void navigate(`/plans/${encodeURIComponent(created.data.id)}`);
    },
  });
  const options = [
    { group: 'Built-in templates', items: (plans.data ?? []).filter((p) => p.template).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })) },
    { group: 'Plans', items: (plans.data ?? []).filter((p) => !p.template).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })) },
  ];
  return (
    <>
      <Button {...buttonProps} onClick={open}>
        {from ? 'Copy this plan' : 'Copy a plan'}
      </Button>
      <Modal opened={opened} onClose={close} title="Copy to a new plan" centered>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (copyOf && id && !idError) copy.mutate();
          }}
        >
          <Stack>
            <Select label="Copy from" description="A plan is copied at its version in force" data={options} value={copyOf} onChange={setCopyOf} searchable allowDeselect={false} />
            <TextInput label="New plan id" description="Lower-case, e.g. eur-payg-edu" value={id} onChange={(e) => setId(e.currentTarget.value.trim())} error={idError ?? fieldError(copy.error, 'id')} />
            <TextInput label="Name" description="Shown on invoices; the id when empty" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} />
            <ProblemAlert error={copy.error} title="Not copied" />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={!copyOf || !id || idError !== undefined} loading={copy.isPending}>
                Copy
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
