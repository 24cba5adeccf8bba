import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one server process (`GET /metrics`). Each server has its own registry, so
 * several servers in one test process do not share counts.
 */
export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  recordsIngested: Counter<'source'>;
  recordsRejected: Counter<'source'>;
  invoiceRuns: Counter<'outcome'>;
}

export function createApiMetrics(options: { processMetrics?: boolean; backlog?: () => Promise<{ callsPendingMatching: number; customersToRate: number }> } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'confbill_' });
  const backlog = options.backlog;
  if (backlog) {
    // Read from the database when scraped: the rating lag as the work waiting.
    new Gauge({
      name: 'confbill_billing_backlog',
      help: 'Work waiting: calls to match, customers to rate (the rating lag).',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        const b = await backlog();
        this.set({ kind: 'calls-pending-matching' }, b.callsPendingMatching);
        this.set({ kind: 'customers-to-rate' }, b.customersToRate);
      },
    });
  }
  return {
    registry,
    requestDuration: new Histogram({
      name: 'confbill_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    recordsIngested: new Counter({ name: 'confbill_records_ingested_total', help: 'Call records read and stored, by source.', labelNames: ['source'], registers: [registry] }),
    recordsRejected: new Counter({ name: 'confbill_records_rejected_total', help: 'Call records rejected (kept for inspection), by source.', labelNames: ['source'], registers: [registry] }),
    invoiceRuns: new Counter({ name: 'confbill_invoice_runs_total', help: 'Invoice generation runs through the API, by outcome.', labelNames: ['outcome'], registers: [registry] }),
  };
}
