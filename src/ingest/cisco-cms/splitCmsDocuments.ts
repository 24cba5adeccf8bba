export type CmsDocument =
  | { kind: 'document'; line: number; xml: string }
  | { kind: 'unreadable'; line: number; reason: string; raw: string };

function* xmlDocuments(text: string, firstLine: number): Generator<CmsDocument> {
  // Each POST body starts with an XML declaration or its <records>; a saved file may hold many.
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
export function* splitCmsDocuments(text: string): Generator<CmsDocument> {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trimStart().startsWith('{')) {
    yield* xmlDocuments(body, 1);
    return;
  }
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let post: unknown;
    try {
      post = JSON.parse(raw);
    } catch {
      yield { kind: 'unreadable', line: i + 1, reason: 'not a JSON line', raw: raw.slice(0, 2000) };
      continue;
    }
    const xml = typeof post === 'object' && post !== null && 'rawpost' in post ? (post as { rawpost: unknown }).rawpost : undefined;
    if (typeof xml !== 'string') yield { kind: 'unreadable', line: i + 1, reason: 'the JSON line has no "rawpost" text', raw: raw.slice(0, 2000) };
    else yield { kind: 'document', line: i + 1, xml };
  }
}
