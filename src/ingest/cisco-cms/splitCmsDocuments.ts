export type CmsDocument =
  | { kind: 'document'; line: number; xml: string }
  | { kind: 'unreadable'; line: number; reason: string; raw: string };

/** Where each POST body in the text begins: an XML declaration, or a <records> that has none. */
function xmlDocumentStarts(text: string): number[] {
  const starts: number[] = [];
  const boundary = /<\?xml\b|<records\b/g;
  let lastWasDeclaration = false;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    if (m[0] === '<records' && lastWasDeclaration) {
      lastWasDeclaration = false;
      continue;
    }
    starts.push(m.index);
    lastWasDeclaration = m[0] === '<?xml';
  }
  return starts;
}

function* xmlDocuments(text: string, firstLine: number): Generator<CmsDocument> {
  // Each POST body starts with an XML declaration or its <records>; a saved file may hold many.
  const starts = xmlDocumentStarts(text);
  if (starts.length === 0 || text.slice(0, starts[0]).trim() !== '') starts.unshift(0);
  let line = firstLine;
  for (let i = 0; i < starts.length; i++) {
    const xml = text.slice(starts[i], starts[i + 1] ?? text.length);
    const at = line + (xml.match(/^\s*/)![0].match(/\n/g)?.length ?? 0);
    line += xml.match(/\n/g)?.length ?? 0;
    if (xml.trim() === '') continue;
    yield { kind: 'document', line: at, xml };
  }
}

/**
 * Splits a saved CMS capture into POST bodies: one or several `<records>` documents one after the
 * other, bare `<record>` fragments, or JSON lines with the body in `rawpost` (the capture format of
 * the 2017 sample). `line` is where each document starts, for rejects.
 */
export function* splitCmsDocuments(text: string, firstLine = 1): Generator<CmsDocument> {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trimStart().startsWith('{')) {
    yield* xmlDocuments(body, firstLine);
    return;
  }
  yield* jsonLineDocuments(body, firstLine);
}

function* jsonLineDocuments(body: string, firstLine: number): Generator<CmsDocument> {
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = firstLine + i;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let post: unknown;
    try {
      post = JSON.parse(raw);
    } catch {
      yield { kind: 'unreadable', line: lineNumber, reason: 'not a JSON line', raw: raw.slice(0, 2000) };
      continue;
    }
    const xml = typeof post === 'object' && post !== null && 'rawpost' in post ? (post as { rawpost: unknown }).rawpost : undefined;
    if (typeof xml !== 'string') yield { kind: 'unreadable', line: lineNumber, reason: 'the JSON line has no "rawpost" text', raw: raw.slice(0, 2000) };
    else yield { kind: 'document', line: lineNumber, xml };
  }
}

const newlines = (text: string): number => text.match(/\n/g)?.length ?? 0;

/**
 * The same split over a stream of text, holding only the document being read: a capture of a month
 * of posts is never in memory whole. Complete documents (JSON lines, or XML up to the next body's
 * start) are handed on as soon as the next one begins.
 */
export async function* streamCmsDocuments(chunks: AsyncIterable<string>): AsyncGenerator<CmsDocument> {
  let buffer = '';
  let mode: 'xml' | 'json' | undefined;
  let line = 1;
  const emit = function* (text: string): Generator<CmsDocument> {
    yield* mode === 'json' ? jsonLineDocuments(text, line) : xmlDocuments(text, line);
    line += newlines(text);
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    if (!mode) {
      buffer = buffer.replace(/^\uFEFF/, '');
      const start = buffer.trimStart();
      if (start === '') continue;
      mode = start.startsWith('{') ? 'json' : 'xml';
    }
    const cut = mode === 'json' ? buffer.lastIndexOf('\n') + 1 : (xmlDocumentStarts(buffer).at(-1) ?? 0);
    if (cut <= 0) continue;
    const complete = buffer.slice(0, cut);
    buffer = buffer.slice(cut);
    yield* emit(complete);
  }
  if (buffer.trim() !== '') yield* emit(buffer);
}
