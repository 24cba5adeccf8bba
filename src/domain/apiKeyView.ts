import type { AccessRole } from './accessRole.ts';

/** An API key as lists show it: its prefix, never the secret nor its hash. Instants are ISO 8601 UTC. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: AccessRole;
  /** The non-secret start of the key, `cbk_<prefix>_…`, by which a person recognises it. */
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}
