import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/accessRole.ts';
import { checkedAccessName, isAccessName } from '../domain/accessName.ts';
import { BillingError } from '../domain/billingError.ts';
import { checkedAccessRole } from '../domain/checkedAccessRole.ts';
import type { UserView } from '../domain/userView.ts';
import type { Database } from '../storage/database.ts';
import { deleteSessionsOfUser } from '../storage/sessionStore.ts';
import { insertUser, listUsers as storedUsers, markUserDisabled, userByName } from '../storage/userStore.ts';
import { hashPassword, unmatchablePasswordHash, verifyPassword } from './passwordHash.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';

/** Adds a user who signs in with `password` (at least 12 characters); `actor` is who adds it. */
export async function addUser(db: Database, input: { name: string; role: string; password: string; actor: string; now?: Date }): Promise<UserView> {
  const name = checkedAccessName(input.name, 'user name');
  const role = checkedAccessRole(input.role);
  // Hashed before the transaction: ~100 ms that hold no lock.
  const passwordHash = await hashPassword(input.password);
  const user = { id: randomUUID(), name, role, passwordHash, createdAt: input.now ?? new Date(), createdBy: input.actor };
  return db.transaction(async (tx) => {
    if (!(await insertUser(tx, user))) {
      const taken = await userByName(tx, name);
      throw new BillingError('conflict', `A user named "${taken?.name ?? name}" already exists (names are unique ignoring case); choose another name.`);
    }
    const { passwordHash: _hash, ...view } = (await userByName(tx, name))!;
    await appendAuditEntry(tx, { actor: input.actor, action: 'user.added', objectKind: 'user', objectId: view.name, before: null, after: { role: view.role } });
    return view;
  });
}

/** Every user, disabled ones included, by name; never a password hash. */
export async function listUsers(db: Database): Promise<UserView[]> {
  return storedUsers(db);
}

/** Disables a user: it can no longer sign in, and its sessions end at once. Returns the user as it is now. */
export async function disableUser(db: Database, name: string, actor: string, now: Date = new Date()): Promise<UserView> {
  checkedAccessName(name, 'user name');
  return db.transaction(async (tx) => {
    const user = await userByName(tx, name, { forUpdate: true });
    if (!user) throw new BillingError('not-found', `There is no user named "${name}"; the list of users shows who there is.`);
    if (user.disabledAt !== null) throw new BillingError('conflict', `User "${user.name}" was already disabled at ${user.disabledAt} by ${user.disabledBy}.`);
    await markUserDisabled(tx, user.id, now, actor);
    await deleteSessionsOfUser(tx, user.id);
    await appendAuditEntry(tx, { actor, action: 'user.disabled', objectKind: 'user', objectId: user.name, before: { disabledAt: null }, after: { disabledAt: now.toISOString() } });
    const { passwordHash: _hash, ...view } = (await userByName(tx, user.name))!;
    return view;
  });
}

const unknownUserHash = unmatchablePasswordHash();

/**
 * The user who signs in with this name and password, or undefined for an unknown name, a disabled
 * user or a wrong password (the caller cannot tell which: it says "wrong name or password").
 */
export async function principalOfPassword(db: Database, name: string, password: string, _now: Date = new Date()): Promise<Principal | undefined> {
  const user = isAccessName(name) ? await userByName(db, name) : undefined;
  const matches = await verifyPassword(password, user?.passwordHash ?? unknownUserHash);
  if (!user || !matches || user.disabledAt !== null) return undefined;
  return { kind: 'user', id: user.id, name: user.name, role: user.role };
}
