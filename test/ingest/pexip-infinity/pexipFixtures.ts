import { Readable } from 'node:stream';
import type { IngestRecord, ReaderOptions } from '../../../src/ingest/ingestRecord.ts';

/** A history participant shaped like the API's, small enough to vary field by field. */
export function historyParticipant(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    call_uuid: id,
    call_direction: 'in',
    conference: '/api/admin/history/v1/conference/c4cc1c92-6b05-4ed9-9be6-92074cfecf7f/',
    conference_name: 'Meetup',
    disconnect_reason: 'Call disconnected',
    display_name: 'Anders',
    duration: 600,
    start_time: '2026-10-05T08:00:00.250000',
    end_time: '2026-10-05T08:10:00.750000',
    has_media: true,
    is_streaming: false,
    license_type: 'port',
    local_alias: 'meet.acme@vc.provider.example',
    remote_alias: 'sip:bob@elsewhere.example',
    remote_address: '192.0.2.10',
    media_streams: [{ stream_type: 'audio' }, { stream_type: 'video' }],
    protocol: 'SIP',
    resource_uri: `/api/admin/history/v1/participant/${id}/`,
    role: 'guest',
    service_tag: '',
    service_type: 'conference',
    ...overrides,
  };
}

export function historyPage(objects: unknown[]): Record<string, unknown> {
  return { meta: { limit: 20, next: null, offset: 0, previous: null, total_count: objects.length }, objects };
}

export async function readAll(reader: (input: Readable, options: ReaderOptions) => AsyncIterable<IngestRecord>, input: string | Buffer | (string | Buffer)[], options: Partial<ReaderOptions> = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of reader(Readable.from(Array.isArray(input) ? input : [input]), { file: 'test.json', source: 'pexip-1', ...options })) records.push(r);
  return records;
}

/** A compact view of records for assertions: [line, 'call' | reject field | excluded reason]. */
export function outline(records: IngestRecord[]): [number | null, string | null][] {
  return records.map((r) => [r.line, r.kind === 'call' ? 'call' : r.kind === 'reject' ? `reject:${r.field}` : `excluded:${r.reason}`]);
}
