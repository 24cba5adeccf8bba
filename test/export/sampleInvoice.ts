import type { InvoiceLine } from '../../src/domain/invoiceLine.ts';
import { amountOf, formatFixed, sumAmounts } from '../../src/domain/money.ts';
import type { Invoice } from '../../src/domain/invoice.ts';

/**
 * A hand-made invoice in the shape the store returns: a monthly fee, `callLines` call-charge lines
 * (enough of them to need several pages), a late line, a credit (adjustment) and a 25 % tax line,
 * with a total that is the exact sum of its lines.
 */
export function sampleInvoice(options: { callLines: number; status: 'draft' | 'approved'; description?: string }): Invoice {
  const lines: InvoiceLine[] = [
    { kind: 'monthly-fee', description: 'Concurrent Calls (20 ports)', quantity: '31', unit: 'day', unitPrice: '48.387', amount: '1500.00', period: '2026-10', planId: 'cc20' },
  ];
  for (let i = 0; i < options.callLines; i++) {
    // 100 + i minutes at 0.035: exact cents when i is even, a rounded half cent otherwise.
    const minutes = 100 + i;
    const amount = formatFixed(amountOf('0.035').times(minutes), 2);
    lines.push({ kind: 'call-charges', description: `${options.description ?? 'video outbound'} ${i + 1}`, quantity: String(minutes), unit: 'minute', unitPrice: '0.035', amount, period: '2026-10', calls: i + 2, planId: 'cc20' });
  }
  lines.push(
    { kind: 'call-charges', description: 'audio inbound', quantity: '12', unit: 'minute', unitPrice: '0.02', amount: '0.24', period: '2026-09', calls: 3, planId: 'cc20', late: true },
    { kind: 'adjustment', description: 'Included minutes 2026-09 adjustment', quantity: '-60', unit: 'minute', amount: '-3.00', period: '2026-09', planId: 'cc20', basis: 'included-minutes' },
  );
  const net = sumAmounts(lines.map((l) => amountOf(l.amount)));
  const tax = formatFixed(net.times(25).dividedBy(100), 2);
  lines.push({ kind: 'tax', description: `Tax 25 % of ${formatFixed(net, 2)}`, quantity: '25', unit: 'percent', amount: tax, period: '2026-10' });
  const approved = options.status === 'approved';
  return {
    id: '5f0c2a8e-7d1b-4b7e-9a51-3c2d1e0f9a88',
    number: approved ? 1042 : null,
    status: options.status,
    customerId: 'acme',
    currency: 'EUR',
    from: '2026-10-01',
    to: '2026-11-01',
    lines,
    total: formatFixed(net.plus(amountOf(tax)), 2),
    notes: 'Payment within 30 days.\nIBAN NO93 8601 1117 947',
    createdAt: '2026-11-02T08:00:00.000Z',
    approvedAt: approved ? '2026-11-03T09:30:00.000Z' : null,
    approvedBy: approved ? 'alice' : null,
  };
}
