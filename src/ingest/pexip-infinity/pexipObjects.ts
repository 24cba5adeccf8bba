import type { Readable } from 'node:stream';
import type { IngestRecord } from '../ingestRecord.ts';
import { isJsonObject, type JsonObject } from './pexipFields.ts';
import { pexipClip } from './pexipClip.ts';
import { scanJsonObjects } from './scanJsonObjects.ts';

export type PexipObject = { kind: 'object'; index: number; object: JsonObject; raw: string } | Extract<IngestRecord, { kind: 'reject' }>;

/** The JSON objects of a Pexip file, parsed one by one; what cannot be parsed is a reject with its element index. */
export async function* pexipObjects(input: Readable): AsyncGenerator<PexipObject> {
  for await (const element of scanJsonObjects(input)) {
    if (element.kind === 'problem') {
      yield { kind: 'reject', line: element.index, field: null, reason: element.reason, raw: element.raw };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(element.text);
    } catch (error) {
      yield { kind: 'reject', line: element.index, field: null, reason: `element ${element.index} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, raw: pexipClip(element.text) };
      continue;
    }
    if (!isJsonObject(value)) {
      yield { kind: 'reject', line: element.index, field: null, reason: `element ${element.index} is not a JSON object`, raw: pexipClip(element.text) };
      continue;
    }
    yield { kind: 'object', index: element.index, object: value, raw: element.text };
  }
}
