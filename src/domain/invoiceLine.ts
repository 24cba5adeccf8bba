import type { DecimalString } from './plan.ts';

/** docs/billing-rules.md §8 "Invoice lines": kinds, in the order they are listed on an invoice. */
export const invoiceLineKinds = ['monthly-fee', 'service', 'call-charges', 'included-minutes-overage', 'port-overage', 'custom-element', 'adjustment', 'manual', 'tax'] as const;
export type InvoiceLineKind = (typeof invoiceLineKinds)[number];

/** Which pool an overage or adjustment line settles. */
export type OverageBasis = 'included-minutes' | 'port-pool';

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  /** Decimal string: minutes, days, entity-days, port-minutes or units. */
  quantity: DecimalString;
  unit: 'minute' | 'day' | 'entity-day' | 'port-minute' | 'unit' | 'percent';
  /** Rounded to the currency's minor unit. */
  amount: DecimalString;
  /** 'YYYY-MM' for monthly groupings, 'YYYY-MM-DD' for dated elements. */
  period: string;
  planId?: string;
  /** Price per unit where one price applies (shown on the invoice). */
  unitPrice?: DecimalString;
  /** Number of calls of a call-charges line. */
  calls?: number;
  /** The line holds only items dated before the invoice range (late items). */
  late?: boolean;
  basis?: OverageBasis;
}
