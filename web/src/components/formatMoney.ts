const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount (the API's exact decimal string) in its currency's format: "€1,234.50", "¥12,000". The
 * string goes to Intl as it is (no float on the way), so the cents shown are the cents billed. Unit
 * prices keep up to six decimals, as the invoice prints them.
 */
export function formatMoney(amount: string, currency: string, kind: 'amount' | 'unit-price' = 'amount'): string {
  const key = `${currency}:${kind}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, ...(kind === 'unit-price' ? { maximumFractionDigits: 6 } : {}) });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
    }
    formats.set(key, format);
  }
  return format.format(amount as Intl.StringNumericLiteral);
}
