import type { Readable } from 'node:stream';
import type { IngestRecord } from '../ingestRecord.ts';
import { isJsonObject, type JsonObject } from './pexipFields.ts';
import { pexipClip } from './pexipClip.ts';
import { scanJsonObjects, type ScannedElement } from './scanJsonObjects.ts';

export type PexipObject = { kind: 'object'; index: number; object: JsonObject; raw: string } | Extract<IngestRecord, { kind: 'reject' }>;

/** The JSON object of a scanned element, or a reject with its element index when it cannot be parsed. */
function pexipObject(element: ScannedElement): PexipObject {
  if (element.kind === 'problem') return { kind: 'reject', line: element.index, field: null, reason: element.reason, raw: element.raw };
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch (error) {
    return { kind: 'reject', line: element.index, field: null, reason: `element ${element.index} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, raw: pexipClip(element.text) };
  }
  if (!isJsonObject(value)) return { kind: 'reject', line: element.index, field: null, reason: `element ${element.index} is not a JSON object`, raw: pexipClip(element.text) };
  return { kind: 'object', index: element.index, object: value, raw: element.text };
}

/** The JSON objects of a Pexip file, parsed one by one, in batches (a chunk of the input's); what cannot be parsed is a reject with its element index. */
export async function* pexipObjects(input: Readable): AsyncGenerator<PexipObject[]> {
  for await (const elements of scanJsonObjects(input)) yield elements.map(pexipObject);
}
