import type { InvoicePreview } from '../../api/schemas';

/**
 * The totals of the previews per currency, as exact decimal strings. Amounts are summed in integer
 * units of the smallest decimal place any of them uses, so no float rounding reaches the page.
 */
export function totalsByCurrency(previews: InvoicePreview[]): { currency: string; total: string; invoices: number }[] {
  const byCurrency = new Map<string, string[]>();
  for (const p of previews) if (p.currency !== null && p.total !== null) byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), p.total]);
  return [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amounts]) => ({ currency, total: sumDecimals(amounts), invoices: amounts.length }));
}

export function sumDecimals(amounts: string[]): string {
  const scale = Math.max(0, ...amounts.map((a) => a.split('.')[1]?.length ?? 0));
  let sum = 0n;
  for (const a of amounts) {
    const negative = a.startsWith('-');
    const [whole, fraction = ''] = a.replace(/^[-+]/, '').split('.');
    const units = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
    sum += negative ? -units : units;
  }
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
