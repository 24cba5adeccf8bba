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
  /** The leg that unchanged record `i` gives (times UTC), worked out by hand from its values and docs/vendors/. */
  leg(i: number): ExpectedLeg;
  /** A value that makes a record a reject, and the field the reject names. */
  broken: { field: string; value: string; rejectField?: string };
}

/** What a test checks of a leg: identity, connected interval, ends. */
export interface ExpectedLeg {
  externalId: string;
  startedAt: string;
  durationSeconds: number;
  localAlias: string;
  remoteAlias: string;
}

const csv = (header: string, line: (i: number, v: Record<string, string>) => string, values: (i: number) => Record<string, string>, format: string, leg: FormatSample['leg'], broken: FormatSample['broken']): FormatSample => ({
  format,
  values,
  record: line,
  file: (records) => `${header}\n${records.join('\n')}\n`,
  leg,
  broken,
});

const confbillCsv = csv(
  'source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant',
  (_i, v) => [v.source, v.externalId, v.conferenceId, v.startedAt, v.durationSeconds, v.category, v.direction, v.protocol, v.localAlias, v.remoteAlias, v.tenant].join(','),
  (i) => ({ source: '', externalId: `leg-${i}`, conferenceId: `conf-${i}`, startedAt: '2026-10-05T09:00:00Z', durationSeconds: String(60 + i), category: 'video', direction: 'inbound', protocol: 'sip', localAlias: `room-${i}@acme.example`, remoteAlias: `guest-${i}@far.example`, tenant: 'acme' }),
  'confbill-csv',
  (i) => ({ externalId: `leg-${i}`, startedAt: '2026-10-05T09:00:00.000Z', durationSeconds: 60 + i, localAlias: `room-${i}@acme.example`, remoteAlias: `guest-${i}@far.example` }),
  { field: 'startedAt', value: 'yesterday' },
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
  // dateTimeConnect 1791190805 = 09:00:05Z; placed by a phone (origin kind device): outbound, the caller local.
  (i) => ({ externalId: `1-${1000 + i}-${2000 + i}-${3000 + i}`, startedAt: '2026-10-05T09:00:05.000Z', durationSeconds: 60 + i, localAlias: `5100${i}`, remoteAlias: '42000' }),
  { field: 'duration', value: '99999999' },
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
  // 10:00:00.000+02:00 to 10:05:1i.400+02:00, whole seconds; the caller is local (both ends of one domain).
  (i) => ({ externalId: `c-${i}#2026-06-01T08:00:00.000Z`, startedAt: '2026-06-01T08:00:00.000Z', durationSeconds: 310 + i, localAlias: `alice-${i}@acme.example`, remoteAlias: 'bob@acme.example' }),
  { field: 'startTime', value: 'yesterday' },
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
  // LcsCDR times are UTC; connected from the 200 OK (ResponseTime 09:00:04.500) to SessionEndTime 09:12:1i.800: 726.3 s + i → 726 + i.
  (i) => ({ externalId: `2026-10-05T09:00:00.123Z#${i + 1}`, startedAt: '2026-10-05T09:00:04.500Z', durationSeconds: 726 + i, localAlias: `alice-${i}@acme.example`, remoteAlias: 'bob@acme.example' }),
  { field: 'SessionEndTime', value: 'yesterday' },
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
  // No time zone configured: wall times read as UTC; end − start = 70.65 s + i, whole seconds down. Unregistered caller: inbound, the destination local.
  leg: (i) => ({ externalId: `u-${i}`, startedAt: '2026-03-10T09:00:00.250Z', durationSeconds: 70 + i, localAlias: 'sip:room@customer.example', remoteAlias: `sip:alice-${i}@provider.example` }),
  broken: { field: 'start_time', value: 'yesterday' },
};

const pexipHistory: FormatSample = {
  format: 'pexip-history',
  values: (i) => ({
    id: `p-${i}`, call_direction: 'in', conference_name: 'Meetup', disconnect_reason: 'Call disconnected', display_name: 'Anders', start_time: '2026-10-05T08:00:00.250000',
    end_time: '2026-10-05T08:10:00.750000', license_type: 'port', local_alias: `meet-${i}@vc.provider.example`, remote_alias: 'sip:bob@elsewhere.example', protocol: 'SIP', role: 'guest', service_type: 'conference',
  }),
  record: (i, v) => JSON.stringify({ ...v, duration: 600 + i, resource_uri: `/api/admin/history/v1/participant/p-${i}/`, media_streams: [{ stream_type: 'video' }] }),
  file: (records) => `{"meta": {"limit": 20, "next": null, "offset": 0, "total_count": ${records.length}}, "objects": [\n${records.join(',\n')}\n]}\n`,
  // start_time without offset is UTC; the duration field wins over end − start.
  leg: (i) => ({ externalId: `p-${i}`, startedAt: '2026-10-05T08:00:00.250Z', durationSeconds: 600 + i, localAlias: `meet-${i}@vc.provider.example`, remoteAlias: 'sip:bob@elsewhere.example' }),
  broken: { field: 'start_time', value: 'yesterday' },
};

const pexipEvents: FormatSample = {
  format: 'pexip-events',
  values: (i) => ({
    event: 'participant_disconnected', uuid: `e-${i}`, conference: 'meet.acme', call_direction: 'in', protocol: 'SIP', service_type: 'conference',
    destination_alias: `meet-${i}@vc.example`, source_alias: 'bob@far.example', disconnect_reason: 'Call disconnected',
  }),
  record: (i, { event, ...data }) => JSON.stringify({ node: '10.0.0.1', seq: i, version: 2, time: 1790000100.5, event, data: { ...data, connect_time: 1790000000.25, duration: 100 + i } }),
  file: (records) => `${records.join('\n')}\n`,
  // connect_time 1790000000.25 = 2026-09-21T14:13:20.25Z; an inbound leg: the Pexip side is the destination_alias.
  leg: (i) => ({ externalId: `e-${i}`, startedAt: '2026-09-21T14:13:20.250Z', durationSeconds: 100 + i, localAlias: `meet-${i}@vc.example`, remoteAlias: 'bob@far.example' }),
  broken: { field: 'uuid', value: '' },
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
  leg: (i) => ({ externalId: `rec-${i}/s-${i}`, startedAt: '2026-10-05T09:00:00.000Z', durationSeconds: 600 + 60 * i, localAlias: `alice-${i}@acme.example`, remoteAlias: 'bob@acme.example' }),
  broken: { field: 'startDateTime', value: 'yesterday', rejectField: 'sessions[0].startDateTime' },
};

const cmsXml: FormatSample = {
  format: 'cms-xml',
  values: (i) => ({ session: `sess-${i}`, id: `leg-${i}`, localAddress: `space-${i}@cms.example`, remoteAddress: 'bob@far.example', reason: 'remoteTeardown', durationSeconds: String(3600 + i), codec: 'h264' }),
  record: (i, v) =>
    `<?xml version="1.0"?>\n<records session="${v.session}"><record type="callLegEnd" time="2026-10-05T10:00:00Z" recordIndex="1" correlatorIndex="${i + 1}"><callLeg id="${v.id}">` +
    `<localAddress>${v.localAddress}</localAddress><remoteAddress>${v.remoteAddress}</remoteAddress><reason>${v.reason}</reason><durationSeconds>${v.durationSeconds}</durationSeconds>` +
    `<rxVideo><codec>${v.codec}</codec></rxVideo></callLeg></record></records>`,
  file: (records) => `${records.join('\n')}\n`,
  // Only the callLegEnd (10:00:00Z): the leg started its durationSeconds before.
  leg: (i) => ({ externalId: `leg-${i}`, startedAt: new Date(Date.UTC(2026, 9, 5, 9, 0, 0) - i * 1000).toISOString(), durationSeconds: 3600 + i, localAlias: `space-${i}@cms.example`, remoteAlias: 'bob@far.example' }),
  broken: { field: 'durationSeconds', value: '-3' },
};

/** Every format `confbill ingest` reads, with its sample. */
export const formatSamples: FormatSample[] = [confbillCsv, cmsXml, pexipHistory, pexipEvents, cucmCsv, expresswayJson, dmaCsv, sfbCsv, teamsJson];

/** The sample file of `count` unchanged records, or with record `changed` given other values. */
export function sampleFile(sample: FormatSample, count: number, changed?: { index: number; values: Record<string, string> }): string {
  return sample.file(Array.from({ length: count }, (_, i) => sample.record(i, changed?.index === i ? changed.values : sample.values(i))));
}
