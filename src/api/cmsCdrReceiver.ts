import { ingestCmsBody } from '../services/ingestCmsRecords.ts';
import { resolveReceiverSource } from '../services/receiverSource.ts';
import type { CdrReceiverRoute } from './registerCdrReceiver.ts';

/**
 * The URL a Cisco Meeting Server is pointed at as a CDR receiver (docs/vendors/cisco-cms.md): it
 * answers 200 only once the body's records are committed, since CMS keeps and resends until then.
 */
export const cmsCdrReceiver: CdrReceiverRoute = {
  path: '/cdr/cms/:source',
  contentTypes: ['text/xml', 'application/xml'],
  store: async (db, body, request) => {
    const { reader, matcher } = await resolveReceiverSource(db, { format: 'cms-xml', source: request.source });
    return ingestCmsBody(db, body, { source: request.source, file: `http:${request.requestId}`, mapping: reader.mapping, matcher });
  },
};
