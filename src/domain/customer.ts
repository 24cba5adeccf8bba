/** What the "Bill to" block of an invoice shows besides the name; null where none is given. */
export interface CustomerBillingDetails {
  /** Postal address, one line per line of text. */
  billingAddress: string | null;
  email: string | null;
  /** VAT or other tax registration number. */
  taxId: string | null;
  /** The customer's own reference for the invoices (a purchase order number). */
  customerReference: string | null;
}

/** A customer: who is billed, in which time zone its days and months run, and where the invoice goes. */
export interface Customer extends CustomerBillingDetails {
  id: string;
  name: string;
  timezone: string | null;
}
