import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitCmsDocuments, streamCmsDocuments, type CmsDocument } from '../../../src/ingest/cisco-cms/splitCmsDocuments.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';

/** The in-repo capture: ten POSTs (eleven records in the XML files, some with several records). */
const fixture = fileURLToPath(new URL('../../fixtures/cisco-cms/capture-2026-10-05/', import.meta.url));

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

/** A capture folder's POSTs as JSON lines, and its XML files one after the other. */
function captureTexts(folder: string): { jsonl: string; xml: string } {
  return {
    jsonl: readFileSync(join(folder, 'posts.jsonl'), 'utf8'),
    xml: readdirSync(folder).filter((f) => f.endsWith('.xml')).sort().map((f) => readFileSync(join(folder, f), 'utf8')).join('\n'),
  };
}

function streamingTests(folder: () => string, posts: number): void {
  it(`gives the documents of the whole-text split, with their lines (${posts} posts either way)`, async () => {
    const { jsonl, xml } = captureTexts(folder());
    expect((await collect([jsonl])).map((d) => d.line)).toEqual(Array.from({ length: posts }, (_, i) => i + 1));
    expect(await collect([xml])).toEqual([...splitCmsDocuments(xml)]);
    expect((await collect([xml])).filter((d) => d.kind === 'document')).toHaveLength(posts);
  });

  it('however the text is cut into chunks, the documents are the same', async () => {
    const texts = captureTexts(folder());
    const whole = { jsonl: [...splitCmsDocuments(texts.jsonl)], xml: [...splitCmsDocuments(texts.xml)] };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('jsonl' as const, 'xml' as const), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), async (kind, fractions) => {
        expect(await collect(cut(texts[kind], fractions))).toEqual(whole[kind]);
      }),
      { numRuns: 500 },
    );
  });
}

describe('streaming the in-repo CMS capture', () => {
  streamingTests(() => fixture, 10);

  it('keeps a POST of several records one document, wherever the chunks are cut', async () => {
    const { xml } = captureTexts(fixture);
    const start = xml.indexOf('recordIndex="210"');
    const docs = await collect(cut(xml, [start / xml.length, (start + 300) / xml.length, (start + 900) / xml.length]));
    const records = docs.map((d) => (d.kind === 'document' ? (d.xml.match(/<record /g) ?? []).length : -1));
    expect(records).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 4, 1]);
  });
});

describeOnSamples('streaming the 2017 CMS capture of the public samples', () => {
  streamingTests(() => join(sharedDir, 'samples/cisco-cms/capture-2017-04-24'), 9);
});
