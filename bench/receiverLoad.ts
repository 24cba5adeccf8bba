// The load side of bench/receivers.bench.ts, in its own process so that the load never shares the
// server's event loop or CPU accounting: autocannon posts single-record bodies at a fixed rate, each
// record with an id of its own, and writes what it measured and the ids answered 200 to a JSON file.
//
//   node --import tsx bench/receiverLoad.ts --url http://127.0.0.1:PORT --vendor cms|pexip --source ID
//        --key KEY --rate 1000 --seconds 10 --connections 200 --run TAG --out FILE

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of autocannon 9's API used here (the package ships no types). */
interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest: (request: LoadRequest & { body?: string }, context: Record<string, unknown>) => LoadRequest & { body: string };
  onResponse: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface LoadResult {
  duration: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
}
type Autocannon = (options: { url: string; connections: number; overallRate: number; duration: number; timeout: number; requests: LoadRequest[] }) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export type ReceiverVendor = 'cms' | 'pexip';

export interface ReceiverLoadResult {
  vendor: ReceiverVendor;
  rate: number;
  seconds: number;
  sent: number;
  /** Answers by status, e.g. { "200": 9990, "503": 10 }. */
  statuses: Record<string, number>;
  /** Requests that got no answer (timeouts, connection errors). */
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  achievedRate: number;
  /** The records answered 200: Pexip leg uuids, or CMS `session/correlatorIndex` keys. */
  storedIds: string[];
}

function arg(name: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

/** A participant_disconnected event (docs/vendors/pexip-infinity.md) of leg `uuid`. */
export function pexipEvent(uuid: string, n: number): string {
  const connect = 1_790_000_000 + (n % 86_400);
  return JSON.stringify({
    node: '10.0.0.1', seq: n, version: 2, time: connect + 120.5, event: 'participant_disconnected',
    data: {
      uuid, conference: `meet.c${n % 500}`, call_direction: 'in', protocol: n % 3 === 0 ? 'WebRTC' : 'SIP', service_type: 'conference',
      connect_time: connect, duration: 60 + (n % 3600), destination_alias: `meet.c${n % 500}@vc.example`, source_alias: `user${n}@far.example`,
    },
  });
}

/** Posts between a leg's callLegStart and its callLegEnd: at 1,000 posts/s, legs of half a second. */
const cmsLegSpan = 500;

/**
 * One CMS record per POST: a callLegStart for an even n, and for an odd n the callLegEnd of the leg
 * started `cmsLegSpan` posts before (CMS posts a leg's end after its start was answered), so that
 * half the posts complete a billable leg.
 */
export function cmsRecord(session: string, n: number): string {
  const endOf = n % 2 === 1 ? (n - 1 - cmsLegSpan) / 2 : -1;
  const legNumber = n % 2 === 0 ? n / 2 : endOf >= 0 ? endOf : 1_000_000_000 + n;
  const leg = `${session.slice(0, 8)}-0000-4000-8000-${String(legNumber).padStart(12, '0')}`;
  const start = new Date(Date.UTC(2026, 9, 5, 8) + legNumber * 1000);
  const record = n % 2 === 1 && endOf >= 0
    ? `<record type="callLegEnd" time="${new Date(start.getTime() + 600_000).toISOString()}" recordIndex="${n + 1}" correlatorIndex="${n}"><callLeg id="${leg}"><reason>remoteTeardown</reason><durationSeconds>600</durationSeconds></callLeg></record>`
    : `<record type="callLegStart" time="${start.toISOString()}" recordIndex="${n + 1}" correlatorIndex="${n}"><callLeg id="${leg}"><localAddress>meet${n % 500}@cms.provider.example</localAddress><remoteAddress>user${n}@far.example</remoteAddress><type>sip</type><direction>incoming</direction><call>${session}-${n % 50}</call></callLeg></record>`;
  return `<?xml version="1.0"?><records session="${session}">${record}</records>`;
}

async function main(): Promise<void> {
  const vendor = arg('vendor') as ReceiverVendor;
  const rate = Number(arg('rate'));
  const seconds = Number(arg('seconds'));
  const connections = Number(arg('connections'));
  const source = arg('source');
  const key = arg('key');
  // Unique per run: records of two runs against one database never collide.
  const run = arg('run');
  let next = 0;
  const storedIds: string[] = [];
  const session = `${run.padEnd(8, '0').slice(0, 8)}-1111-4111-8111-000000000000`;
  const request: LoadRequest = vendor === 'pexip'
    ? {
        method: 'POST',
        path: `/cdr/pexip/${source}`,
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`pexip:${key}`).toString('base64')}` },
        setupRequest: (req, context) => {
          const n = next++;
          const uuid = `${run}-${n}`;
          context.id = uuid;
          return { ...req, body: pexipEvent(uuid, n) };
        },
        onResponse: (status, _body, context) => {
          if (status === 200) storedIds.push(context.id as string);
        },
      }
    : {
        method: 'POST',
        path: `/cdr/cms/${source}/${key}`,
        headers: { 'content-type': 'text/xml' },
        setupRequest: (req, context) => {
          const n = next++;
          context.id = `${session}/${n}`;
          return { ...req, body: cmsRecord(session, n) };
        },
        onResponse: (status, _body, context) => {
          if (status === 200) storedIds.push(context.id as string);
        },
      };
  const result = await autocannon({ url: arg('url'), connections, overallRate: rate, duration: seconds, timeout: 30, requests: [request] });
  const statuses: Record<string, number> = {};
  for (const [code, n] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = n.count;
  const sent = Object.values(statuses).reduce((a, b) => a + b, 0);
  const out: ReceiverLoadResult = {
    vendor, rate, seconds, sent, statuses, errors: result.errors, timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    achievedRate: sent / result.duration,
    storedIds,
  };
  writeFileSync(arg('out'), JSON.stringify(out));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
