import { Readable } from 'node:stream';
import { BillingError } from '../domain/billingError.ts';
import { readPexipEvents } from '../ingest/pexip-infinity/readPexipEvents.ts';
import { ingestCalls } from '../services/ingestCalls.ts';
import { resolveReceiverSource } from '../services/receiverSource.ts';
import type { CdrReceiverRoute } from './registerCdrReceiver.ts';

/**
 * The Pexip Infinity event sink (Management Node → Platform → Event sinks, URL
 * `http(s)://host:port/cdr/pexip/<source>`): each POST carries one event (or an `eventsink_bulk`
 * envelope). Pexip resends an event until it gets 200, so 200 comes only once its leg is committed.
 */
export const pexipEventSink: CdrReceiverRoute = {
  path: '/cdr/pexip/:source',
  contentTypes: ['application/json'],
  store: async (db, body, request) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new BillingError('unreadable-input', `The body is not JSON (${error instanceof Error ? error.message : String(error)}); send Pexip event sink events as application/json.`);
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new BillingError('unreadable-input', 'The body is JSON but not an event object or an array of events; send Pexip event sink events.');
    }
    // A source configured for pexip-history may receive events as well: the same legs, one family of
    // formats (docs/vendors/pexip-infinity.md).
    const { reader, matcher } = await resolveReceiverSource(db, { format: 'pexip-events', source: request.source });
    return ingestCalls(db, readPexipEvents, Readable.from([body]), { format: 'pexip-events', file: `http:${request.requestId}`, source: request.source, reader, matcher, together: true });
  },
};
