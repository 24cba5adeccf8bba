import type { InvoicePreview } from '../../api/schemas';
import { decimalSum } from '../../components/exactDecimal';

/**
 * The totals of the previews per currency, as exact decimal strings.
 */
export function totalsByCurrency(previews: InvoicePreview[]): { currency: string; total: string; invoices: number }[] {
  const byCurrency = new Map<string, string[]>();
  for (const p of previews) if (p.currency !== null && p.total !== null) byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), p.total]);
  return [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amounts]) => ({ currency, total: decimalSum(amounts), invoices: amounts.length }));
}
