import { XMLParser, XMLValidator, type XMLMetaData } from 'fast-xml-parser';
import { parseInstant } from '../../domain/calendar.ts';
import { isCmsRecordType, type CmsRecord, type CmsRecordType } from './cmsRecord.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds } from '../legPlausibility.ts';
import { unstorableField } from '../unstorableText.ts';

export type CmsParseItem =
  | { kind: 'record'; index: number; record: CmsRecord }
  /** `raw`: the record as the sender wrote it, kept with the reject. */
  | { kind: 'reject'; index: number; field: string | null; reason: string; raw: string }
  /** A well-formed record of a type confbill does not bill from (a newer CMS may add types). */
  | { kind: 'ignored'; index: number; reason: string };

export type CmsParseResult = { readable: true; items: CmsParseItem[] } | { readable: false; reason: string };

/** Calls and legs longer than a week are absurd: no conference port stays up that long. */
const maxIdLength = 200;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five XML entities: documents that declare their own are refused before parsing.
  processEntities: true,
  isArray: (name) => name === 'record',
  // Where each element starts and ends in the text, so a reject keeps its record as the sender wrote it.
  captureMetaData: true,
});
// Typed as the `Symbol` wrapper by fast-xml-parser; it is a plain symbol.
const positionOf = XMLParser.getMetaDataSymbol() as unknown as symbol;

type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

const elementOfType: Record<CmsRecordType, string> = {
  callStart: 'call', callEnd: 'call',
  callLegStart: 'callLeg', callLegUpdate: 'callLeg', callLegEnd: 'callLeg',
  recordingStart: 'recording', recordingEnd: 'recording',
  streamingStart: 'streaming', streamingEnd: 'streaming',
};

class FieldError extends Error {
  constructor(readonly field: string | null, message: string) {
    super(message);
  }
}

function isObject(node: XmlNode | XmlNode[] | undefined): node is { [key: string]: XmlNode | XmlNode[] } {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function attribute(node: XmlNode | XmlNode[] | undefined, name: string): string | undefined {
  if (!isObject(node)) return undefined;
  const value = node[`@${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Child elements as flat text fields; attributes (alarm types) and repeated elements keep their first value. */
function flatten(node: XmlNode | XmlNode[], prefix: string, into: Record<string, string>): void {
  const first = Array.isArray(node) ? node[0] : node;
  if (first === undefined) return;
  if (typeof first === 'string') {
    if (prefix && !Object.hasOwn(into, prefix)) into[prefix] = first.trim();
    return;
  }
  const text = first['#text'];
  if (prefix && typeof text === 'string' && !Object.hasOwn(into, prefix)) into[prefix] = text.trim();
  for (const [key, child] of Object.entries(first)) {
    if (key.startsWith('@') || key === '#text') continue;
    flatten(child, prefix ? `${prefix}.${key}` : key, into);
  }
}

function wholeNumber(value: string | undefined, field: string, required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (required) throw new FieldError(field, `${field} is missing`);
    return undefined;
  }
  if (!/^\d{1,15}$/.test(value)) throw new FieldError(field, `${field} "${value.slice(0, 40)}" is not a whole number ≥ 0`);
  return Number(value);
}

function checkedId(value: string | undefined, field: string): string {
  if (!value) throw new FieldError(field, `${field} is missing`);
  if (value.length > maxIdLength || [...value].some((c) => c < ' ' || c === '\u007f')) throw new FieldError(field, `${field} "${value.slice(0, 40)}" is not an identifier`);
  return value;
}

function toRecord(node: XmlNode, envelope: { session: string; callBridge?: string }): CmsRecord | { ignored: string } {
  const typeText = attribute(node, 'type');
  if (!typeText) throw new FieldError('type', 'record has no type attribute');
  if (!isCmsRecordType(typeText)) return { ignored: `record type ${typeText.slice(0, 40)} is not used for billing` };
  const type = typeText;
  const timeText = attribute(node, 'time') ?? '';
  const time = parseInstant(timeText);
  if (time === undefined) throw new FieldError('time', `time "${timeText.slice(0, 40)}" is not an RFC 3339 instant`);
  if (time < earliest || time >= latest) throw new FieldError('time', `time "${timeText}" is outside the years 2000-2099`);
  const correlatorIndex = wholeNumber(attribute(node, 'correlatorIndex'), 'correlatorIndex', true)!;
  const recordIndex = wholeNumber(attribute(node, 'recordIndex'), 'recordIndex', false);
  const missing = wholeNumber(attribute(node, 'numPreceedingRecordsMissing'), 'numPreceedingRecordsMissing', false);
  const elementName = elementOfType[type];
  const element = isObject(node) ? node[elementName] : undefined;
  const body = Array.isArray(element) ? element[0] : element;
  if (body === undefined) throw new FieldError(elementName, `a ${type} record has no <${elementName}> element`);
  const id = checkedId(attribute(body, 'id'), `${elementName} id`);
  const fields: Record<string, string> = {};
  flatten(body, '', fields);
  for (const [name, value] of Object.entries(fields)) {
    if (value.includes('\uFFFD')) throw new FieldError(name, `${name} is not valid UTF-8`);
    if (value.length > 4096) throw new FieldError(name, `${name} is longer than 4096 characters`);
  }
  if (id.includes('\uFFFD')) throw new FieldError(`${elementName} id`, `${elementName} id is not valid UTF-8`);
  const duration = wholeNumber(fields.durationSeconds, 'durationSeconds', type === 'callLegEnd');
  if (duration !== undefined && duration > maxLegSeconds) throw new FieldError('durationSeconds', `durationSeconds ${duration} s is longer than a week`);
  let legId: string | undefined;
  let callId: string | undefined;
  if (elementName === 'call') callId = id;
  else if (elementName === 'callLeg') {
    legId = id;
    callId = fields.call ? checkedId(fields.call, 'call') : undefined;
  } else {
    legId = fields.callLeg ? checkedId(fields.callLeg, 'callLeg') : undefined;
    callId = fields.call ? checkedId(fields.call, 'call') : undefined;
  }
  const record: CmsRecord = { session: envelope.session, correlatorIndex, type, time, id, fields };
  if (envelope.callBridge) record.callBridge = envelope.callBridge;
  if (recordIndex !== undefined) record.recordIndex = recordIndex;
  if (legId) record.legId = legId;
  if (callId) record.callId = callId;
  if (missing) record.numPreceedingRecordsMissing = missing;
  return record;
}

/**
 * The text of a `<record>` element as the sender wrote it, from the parser's positions (one pass over
 * the document, never a search per record). A record without attributes or children is a bare string
 * node, which carries no position: its JSON stands in.
 */
function rawRecord(xml: string, node: XmlNode): string {
  const position = typeof node === 'object' ? (node as Record<symbol, XMLMetaData | undefined>)[positionOf] : undefined;
  if (position?.startIndex === undefined || position.endIndex === undefined) return JSON.stringify(node);
  return xml.slice(position.startIndex, position.endIndex);
}

/**
 * Parses one CMS CDR document — a `<records>` element as POSTed, or a bare `<record>` fragment — into
 * records and per-record rejects. A body that is not well-formed XML (truncated, garbage) is
 * unreadable as a whole: nothing of it may be stored, so the sender gets a 4xx and a person looks.
 */
export function parseCmsRecords(text: string): CmsParseResult {
  // Bare <record> fragments, as some tools save them: read together, without envelope.
  const xml = /<records\b/.test(text) || !/<record\b/.test(text) ? text : `<records-fragment>${text.replace(/^\s*<\?xml[^>]*\?>/, '')}</records-fragment>`;
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { readable: false, reason: 'the document declares a DOCTYPE or entities, which CMS never sends' };
  const validation = XMLValidator.validate(xml);
  if (validation !== true) return { readable: false, reason: `not well-formed XML: ${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})` };
  let document: Record<string, XmlNode | XmlNode[]>;
  try {
    document = parser.parse(xml) as Record<string, XmlNode | XmlNode[]>;
  } catch (error) {
    return { readable: false, reason: `not readable XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  let envelope = { session: '', callBridge: undefined as string | undefined };
  let recordNodes: XmlNode[];
  const root = document.records;
  if (root !== undefined) {
    if (Array.isArray(root)) return { readable: false, reason: 'the document has more than one <records> element' };
    envelope = { session: attribute(root, 'session') ?? '', callBridge: attribute(root, 'callBridge') || undefined };
    if (!envelope.session) return { readable: false, reason: 'the <records> element has no session attribute' };
    if (envelope.session.length > maxIdLength || (envelope.callBridge ?? '').length > maxIdLength) return { readable: false, reason: `the <records> session or callBridge attribute is longer than ${maxIdLength} characters` };
    if (envelope.session.includes('\uFFFD') || (envelope.callBridge ?? '').includes('\uFFFD')) return { readable: false, reason: 'the <records> attributes are not valid UTF-8' };
    const inner = isObject(root) ? root.record : undefined;
    recordNodes = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
  } else if (isObject(document['records-fragment'])) {
    const inner = document['records-fragment'].record;
    recordNodes = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
  } else {
    return { readable: false, reason: 'the document holds neither <records> nor <record>' };
  }
  const items: CmsParseItem[] = recordNodes.map((node, i): CmsParseItem => {
    const index = i + 1;
    try {
      const record = toRecord(node, envelope);
      if ('ignored' in record) return { kind: 'ignored', index, reason: record.ignored };
      // Text PostgreSQL cannot hold (a NUL byte) rejects the record here, where its own text is at hand.
      const unstorable = unstorableField({ session: record.session, callBridge: record.callBridge, id: record.id, ...record.fields });
      if (unstorable) return { kind: 'reject', index, field: unstorable.field, reason: `${unstorable.field} ${unstorable.reason}`, raw: rawRecord(xml, node) };
      return { kind: 'record', index, record };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return { kind: 'reject', index, field: error.field, reason: error.message, raw: rawRecord(xml, node) };
    }
  });
  return { readable: true, items };
}
