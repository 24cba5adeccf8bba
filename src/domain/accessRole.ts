/**
 * Who may do what through the Billing API and the CLI's user and key commands. Every API route names
 * one permission; a role holds a fixed set of them, and anything not granted is denied.
 */
export const accessRoles = ['admin', 'billing', 'approver', 'viewer', 'ingest'] as const;
export type AccessRole = (typeof accessRoles)[number];

export const permissions = [
  /** Read anything except users, keys, webhooks and the audit log. */
  'read',
  /** Plans, assignments, custom elements, rating runs, invoice generation and draft edits, reports. */
  'bill',
  /** Approve a draft invoice (gives it its number and freezes it). */
  'approve',
  /** Send call data in: CDR receivers and uploads. */
  'ingest',
  /** Settings, customers, matching rules, entities, sources and mappings. */
  'configure',
  /** Users, API keys, webhooks and the audit log. */
  'administer',
] as const;
export type Permission = (typeof permissions)[number];

const granted: ReadonlyMap<AccessRole, ReadonlySet<Permission>> = new Map<AccessRole, ReadonlySet<Permission>>([
  ['admin', new Set(permissions)],
  ['billing', new Set<Permission>(['read', 'bill'])],
  // An approver must see the invoice it approves; it changes nothing else.
  ['approver', new Set<Permission>(['read', 'approve'])],
  ['viewer', new Set<Permission>(['read'])],
  ['ingest', new Set<Permission>(['ingest'])],
]);

export function isAccessRole(value: string): value is AccessRole {
  return (accessRoles as readonly string[]).includes(value);
}

export function roleMayDo(role: AccessRole, permission: Permission): boolean {
  return granted.get(role)?.has(permission) ?? false;
}

/** Everything a role may do, in the order of `permissions` (the web admin offers only these). */
export function permissionsOf(role: AccessRole): Permission[] {
  return permissions.filter((permission) => roleMayDo(role, permission));
}

/** Who did something: a signed-in user, an API key, or a person at the CLI. */
export interface Principal {
  kind: 'user' | 'api-key' | 'cli';
  /** The user's id or the key's id; the login name for the CLI. */
  id: string;
  /** What the audit log and plan history record as the actor. */
  name: string;
  role: AccessRole;
}
