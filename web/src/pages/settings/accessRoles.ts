import type { User } from '../../api/schemas';

export type AccessRole = User['role'];

/** The roles and what each may do (docs: admin all; billing read+bill; approver read+approve; viewer read; ingest ingest). */
export const accessRoleOptions: { value: AccessRole; label: string }[] = [
  { value: 'admin', label: 'admin — everything' },
  { value: 'billing', label: 'billing — read, generate and edit invoices' },
  { value: 'approver', label: 'approver — read, approve invoices' },
  { value: 'viewer', label: 'viewer — read only' },
  { value: 'ingest', label: 'ingest — send call data only' },
];
