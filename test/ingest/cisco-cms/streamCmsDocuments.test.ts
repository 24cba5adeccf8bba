import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCmsDocuments, streamCmsDocuments, type CmsDocument } from '../../../src/ingest/cisco-cms/splitCmsDocuments.ts';
import { hasShared, sharedDir } from '../../support/sharedSamples.ts';

const capture = join(sharedDir, 'samples/cisco-cms/capture-2017-04-24');

async function collect(chunks: string[]): Promise<CmsDocument[]> {
  const docs: CmsDocument[] = [];
  for await (const d of streamCmsDocuments((async function* () { yield* chunks; })())) docs.push(d);
  return docs;
}

/** Cuts a text at the given fractions of its length. */
function cut(text: string, fractions: number[]): string[] {
  const at = [...new Set(fractions.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const i of at) {
    parts.push(text.slice(last, i));
    last = i;
  }
  parts.push(text.slice(last));
  return parts;
}

describe.runIf(hasShared)('streaming a CMS capture', () => {
  const jsonl = readFileSync(join(capture, 'posts.jsonl'), 'utf8');
  const xml = readdirSync(capture).filter((f) => f.endsWith('.xml')).sort().map((f) => readFileSync(join(capture, f), 'utf8')).join('\n');

  it('gives the documents of the whole-text split, with their lines (9 posts either way)', async () => {
    expect((await collect([jsonl])).map((d) => d.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await collect([xml])).toEqual([...splitCmsDocuments(xml)]);
    expect((await collect([xml])).filter((d) => d.kind === 'document')).toHaveLength(9);
  });

  it('however the text is cut into chunks, the documents are the same', async () => {
    const whole = { jsonl: [...splitCmsDocuments(jsonl)], xml: [...splitCmsDocuments(xml)] };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('jsonl' as const, 'xml' as const), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), async (kind, fractions) => {
        const text = kind === 'jsonl' ? jsonl : xml;
        expect(await collect(cut(text, fractions))).toEqual(whole[kind]);
      }),
      { numRuns: 500 },
    );
  });
});
