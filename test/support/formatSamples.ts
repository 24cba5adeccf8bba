/**
 * One small, valid file per call-data format, built from records whose field values a test can
 * change one at a time (to put a NUL byte or a control character into a field). Every record of the
 * unchanged file is one billable leg. CONSTRUCTED from the fields the readers and docs/vendors name.
 */
export interface FormatSample {
  format: string;
  /** The values of record `i` (0-based) that a test may change, by the name the format gives them. */
  values(i: number): Record<string, string>;
  /** The text of record `i` with these values. */
  record(i: number, values: Record<string, string>): string;
  /** The whole file of these record texts. */
  file(records: string[]): string;
}

const csv = (header: string, line: (i: number, v: Record<string, string>) => string, values: (i: number) => Record<string, string>, format: string): FormatSample => ({
  format,
  values,
  record: line,
  file: (records) => `${header}\n${records.join('\n')}\n`,
});

const confbillCsv = csv(
  'source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant',
  (_i, v) => [v.source, v.externalId, v.conferenceId, v.startedAt, v.durationSeconds, v.category, v.direction, v.protocol, v.localAlias, v.remoteAlias, v.tenant].join(','),
  (i) => ({ source: '', externalId: `leg-${i}`, conferenceId: `conf-${i}`, startedAt: '2026-10-05T09:00:00Z', durationSeconds: String(60 + i), category: 'video', direction: 'inbound', protocol: 'sip', localAlias: `room-${i}@acme.example`, remoteAlias: `guest-${i}@far.example`, tenant: 'acme' }),
  'confbill-csv',
);

const cucmColumns = ['cdrRecordType', 'globalCallID_callManagerId', 'globalCallID_callId', 'origLegCallIdentifier', 'destLegIdentifier', 'dateTimeOrigination', 'dateTimeConnect', 'dateTimeDisconnect', 'duration', 'callingPartyNumber', 'originalCalledPartyNumber', 'finalCalledPartyNumber', 'origDeviceName', 'destDeviceName', 'callingPartyNumberPartition', 'globalCallId_ClusterID'];
const cucmCsv = csv(
  cucmColumns.join(','),
  (_i, v) => cucmColumns.map((c) => v[c] ?? '').join(','),
  (i) => ({
    cdrRecordType: '1', globalCallID_callManagerId: '1', globalCallID_callId: String(1000 + i), origLegCallIdentifier: String(2000 + i), destLegIdentifier: String(3000 + i),
    dateTimeOrigination: '1791190800', dateTimeConnect: '1791190805', dateTimeDisconnect: String(1791190865 + i), duration: String(60 + i),
    callingPartyNumber: `5100${i}`, originalCalledPartyNumber: '42000', finalCalledPartyNumber: '42000', origDeviceName: `SEP00${i}`, destDeviceName: 'SEP0042', callingPartyNumberPartition: 'PT_ACME', globalCallId_ClusterID: 'cluster-1',
  }),
  'cucm-csv',
);

const dmaColumns = ['version', 'type', 'callType', 'callUuid', 'dialin', 'startTime', 'endTime', 'origEndpoint', 'destEndpoint', 'dialString', 'origSignalingId', 'origCallId', 'destCallId', 'userRole', 'userDataA', 'userDataB', 'userDataC', 'failureSignalingCode', 'cluster'];
const dmaCsv = csv(
  dmaColumns.join(','),
  (_i, v) => dmaColumns.map((c) => v[c] ?? '').join(','),
  (i) => ({
    version: '4', type: 'CALL', callType: 'PT-PT', callUuid: `c-${i}`, dialin: 'TRUE', startTime: '2026-06-01T10:00:00.000+02:00', endTime: `2026-06-01T10:05:${String(10 + i).padStart(2, '0')}.400+02:00`,
    origEndpoint: `alice-${i}@acme.example`, destEndpoint: 'bob@acme.example', dialString: 'bob@acme.example', origSignalingId: '<sip:alice@acme.example>', origCallId: `oc${i}`, destCallId: `dc${i}`,
    userRole: '', userDataA: 'acme-user', userDataB: '', userDataC: '', failureSignalingCode: '', cluster: 'dma-osl',
  }),
  'dma-csv',
);

const sfbColumns = ['SessionIdTime', 'SessionIdSeq', 'InviteTime', 'ResponseTime', 'ResponseCode', 'SessionEndTime', 'User1Uri', 'User2Uri', 'MediaTypes', 'CallFlag'];
const sfbCsv = csv(
  sfbColumns.join(','),
  (_i, v) => sfbColumns.map((c) => v[c] ?? '').join(','),
  (i) => ({
    SessionIdTime: '2026-10-05 09:00:00.123', SessionIdSeq: String(i + 1), InviteTime: '2026-10-05 09:00:00.123', ResponseTime: '2026-10-05 09:00:04.500', ResponseCode: '200',
    SessionEndTime: `2026-10-05 09:12:${String(10 + i).padStart(2, '0')}.800`, User1Uri: `alice-${i}@acme.example`, User2Uri: 'bob@acme.example', MediaTypes: '48', CallFlag: '0',
  }),
  'sfb-csv',
);

const expresswayJson: FormatSample = {
  format: 'expressway-json',
  values: (i) => ({
    uuid: `u-${i}`, tag: `t-${i}`, initial_call: 'true', licensed: 'true', active: 'false', protocol: 'SIP <-> SIP', audio: 'false',
    source_alias: `sip:alice-${i}@provider.example`, destination_alias: 'sip:room@customer.example', disconnect_reason: '200 OK',
    start_time: '2026-03-10 09:00:00.250000', end_time: `2026-03-10 09:01:${String(10 + i).padStart(2, '0')}.900000`,
  }),
  record: (_i, v) => JSON.stringify(v),
  file: (records) => `[\n${records.join(',\n')}\n]\n`,
};

const pexipHistory: FormatSample = {
  format: 'pexip-history',
  values: (i) => ({
    id: `p-${i}`, call_direction: 'in', conference_name: 'Meetup', disconnect_reason: 'Call disconnected', display_name: 'Anders', start_time: '2026-10-05T08:00:00.250000',
    end_time: '2026-10-05T08:10:00.750000', license_type: 'port', local_alias: `meet-${i}@vc.provider.example`, remote_alias: 'sip:bob@elsewhere.example', protocol: 'SIP', role: 'guest', service_type: 'conference',
  }),
  record: (i, v) => JSON.stringify({ ...v, duration: 600 + i, resource_uri: `/api/admin/history/v1/participant/p-${i}/`, media_streams: [{ stream_type: 'video' }] }),
  file: (records) => `{"meta": {"limit": 20, "next": null, "offset": 0, "total_count": ${records.length}}, "objects": [\n${records.join(',\n')}\n]}\n`,
};

const pexipEvents: FormatSample = {
  format: 'pexip-events',
  values: (i) => ({
    event: 'participant_disconnected', uuid: `e-${i}`, conference: 'meet.acme', call_direction: 'in', protocol: 'SIP', service_type: 'conference',
    destination_alias: `meet-${i}@vc.example`, source_alias: 'bob@far.example', disconnect_reason: 'Call disconnected',
  }),
  record: (i, { event, ...data }) => JSON.stringify({ node: '10.0.0.1', seq: i, version: 2, time: 1790000100.5, event, data: { ...data, connect_time: 1790000000.25, duration: 100 + i } }),
  file: (records) => `${records.join('\n')}\n`,
};

const teamsJson: FormatSample = {
  format: 'teams-json',
  values: (i) => ({
    id: `rec-${i}`, type: 'peerToPeer', sessionId: `s-${i}`, startDateTime: '2026-10-05T09:00:00Z', endDateTime: `2026-10-05T09:${String(10 + i).padStart(2, '0')}:00Z`,
    caller: `alice-${i}@acme.example`, callee: 'bob@acme.example', tenantId: 'tenant-acme',
  }),
  record: (_i, v) => {
    const endpoint = (upn: string) => ({ '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', userAgent: { productFamily: 'teams', platform: 'windows' }, associatedIdentity: { id: upn, tenantId: v.tenantId, userPrincipalName: upn } });
    return JSON.stringify({
      id: v.id, version: 1, type: v.type, modalities: ['audio'], organizer_v2: { id: 'org', identity: { user: { id: 'org', displayName: 'Org', tenantId: v.tenantId } } },
      sessions: [{ id: v.sessionId, modalities: ['audio'], startDateTime: v.startDateTime, endDateTime: v.endDateTime, isTest: false, caller: endpoint(v.caller!), callee: endpoint(v.callee!), segments: [] }],
    });
  },
  file: (records) => `{"value": [\n${records.join(',\n')}\n]}\n`,
};

const cmsXml: FormatSample = {
  format: 'cms-xml',
  values: (i) => ({ session: `sess-${i}`, id: `leg-${i}`, localAddress: `space-${i}@cms.example`, remoteAddress: 'bob@far.example', reason: 'remoteTeardown', durationSeconds: String(3600 + i), codec: 'h264' }),
  record: (i, v) =>
    `<?xml version="1.0"?>\n<records session="${v.session}"><record type="callLegEnd" time="2026-10-05T10:00:00Z" recordIndex="1" correlatorIndex="${i + 1}"><callLeg id="${v.id}">` +
    `<localAddress>${v.localAddress}</localAddress><remoteAddress>${v.remoteAddress}</remoteAddress><reason>${v.reason}</reason><durationSeconds>${v.durationSeconds}</durationSeconds>` +
    `<rxVideo><codec>${v.codec}</codec></rxVideo></callLeg></record></records>`,
  file: (records) => `${records.join('\n')}\n`,
};

/** Every format `confbill ingest` reads, with its sample. */
export const formatSamples: FormatSample[] = [confbillCsv, cmsXml, pexipHistory, pexipEvents, cucmCsv, expresswayJson, dmaCsv, sfbCsv, teamsJson];

/** The sample file of `count` unchanged records, or with record `changed` given other values. */
export function sampleFile(sample: FormatSample, count: number, changed?: { index: number; values: Record<string, string> }): string {
  return sample.file(Array.from({ length: count }, (_, i) => sample.record(i, changed?.index === i ? changed.values : sample.values(i))));
}
