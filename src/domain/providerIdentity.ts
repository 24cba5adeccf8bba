export interface ProviderIdentity {
  name: string;
  /** Postal address, one line per line of text. */
  address: string;
  email?: string;
  /** VAT or other tax registration number. */
  taxId?: string;
  /** How to pay (bank, IBAN, BIC…), printed at the foot of the invoice; several lines. */
  paymentDetails?: string;
  /** The logo printed above the sender block, stored in provider_logos by its content hash. */
  logo?: LogoReference;
}

export interface LogoReference {
  sha256: string;
  mediaType: 'image/png' | 'image/jpeg';
}
