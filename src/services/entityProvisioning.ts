import type { Database } from '../storage/database.ts';
import { runBilling } from './billingRun.ts';
import { addEntity, deleteEntity, type AddedEntity, type EntityView, type NewEntity } from './entities.ts';

/** How many calls were matched again after a change of rules or entities. */
interface Rematched {
  callsMatchedAgain: number;
}

/** `confbill entity add`: provisions the entity (docs/billing-rules.md §10), then matches open calls again and rates. */
export async function provisionEntity(db: Database, input: NewEntity, actor: string, now: Date): Promise<AddedEntity & Rematched> {
  const added = await addEntity(db, input, actor);
  const billing = await runBilling(db, { now });
  return { ...added, callsMatchedAgain: billing.match.matched + billing.match.noCustomer + billing.match.ambiguous };
}

/** `confbill entity delete`: ends the entity at `deletedAt`, then matches open calls again and rates. */
export async function retireEntity(db: Database, customerId: string, id: string, deletedAt: Date, actor: string, now: Date): Promise<EntityView & Rematched> {
  const deleted = await deleteEntity(db, customerId, id, deletedAt, actor);
  const billing = await runBilling(db, { now });
  return { ...deleted, callsMatchedAgain: billing.match.matched + billing.match.noCustomer + billing.match.ambiguous };
}
