import type { EpochMs } from './calendar.ts';

/** A provisioned entity of a customer (a VMR, a space, a user…): its alias matches calls while it exists, its service type is billed per day. */
export interface Entity {
  id: string;
  customerId: string;
  serviceType: string;
  alias?: string;
  createdAt: EpochMs;
  deletedAt?: EpochMs;
}
