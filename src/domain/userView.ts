import type { AccessRole } from './accessRole.ts';

/** A user as lists show it: never the password hash. Instants are ISO 8601 UTC. */
export interface UserView {
  id: string;
  name: string;
  role: AccessRole;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
  disabledBy: string | null;
}
