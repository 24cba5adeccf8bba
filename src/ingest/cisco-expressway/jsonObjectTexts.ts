import type { Readable } from 'node:stream';

export type JsonObjectText =
  | { kind: 'object'; line: number; text: string }
  | { kind: 'broken'; line: number; reason: string; raw: string };

/** A record larger than this is refused without being kept: bounded memory whatever the input. */
const maxObjectChars = 8 * 1024 * 1024;

/**
 * Splits a JSON array of objects (or objects one after another, as in NDJSON) into the text of each
 * top-level object, as the bytes arrive: a truncated or damaged file loses only the record that is
 * damaged, never the ones before or after it. Only strings, escapes and brace depth are tracked;
 * each text is then parsed on its own. Invalid UTF-8 becomes U+FFFD for the caller to refuse.
 * The texts come in batches, those ending in a chunk of the input together.
 */
export async function* jsonObjectTexts(input: Readable): AsyncGenerator<JsonObjectText[]> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  let text = '';
  let tooLong = false;
  let junk = '';
  let junkLine = 1;

  function* flushJunk(): Generator<JsonObjectText> {
    if (junk.trim() !== '') yield { kind: 'broken', line: junkLine, reason: `text outside any record: "${junk.trim().slice(0, 40)}"`, raw: junk.trim().slice(0, 1000) };
    junk = '';
  }

  const consume = function* (chunk: string): Generator<JsonObjectText> {
    let pieceStart = 0;
    // Where the next backslash and line end are, searched again only once passed (most strings hold neither).
    let nextBackslash = -1;
    let nextLineEnd = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (inString && !escaped) {
        // Inside a string only a quote, a backslash or a line end (counted) matters: skip to the next one.
        if (nextBackslash < i) nextBackslash = chunk.indexOf('\\', i) >>> 0;
        if (nextLineEnd < i) nextLineEnd = chunk.indexOf('\n', i) >>> 0;
        const quote = chunk.indexOf('"', i) >>> 0;
        const next = Math.min(quote, nextBackslash, nextLineEnd);
        if (next >= chunk.length) break;
        i = next;
      }
      const c = chunk[i]!;
      if (depth === 0) {
        if (c === '{') {
          yield* flushJunk();
          depth = 1;
          start = line;
          text = '';
          tooLong = false;
          pieceStart = i;
        } else if (!/[\s,[\]]/.test(c)) {
          if (junk === '') junkLine = line;
          if (junk.length < 1000) junk += c;
        } else if (c === '\n') {
          line++;
        }
        continue;
      }
      if (c === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          const whole = tooLong ? '' : text + chunk.slice(pieceStart, i + 1);
          text = '';
          if (tooLong) yield { kind: 'broken', line: start, reason: `record is larger than ${maxObjectChars / 1024 / 1024} MB`, raw: '' };
          else yield { kind: 'object', line: start, text: whole };
        }
      }
    }
    if (depth > 0 && !tooLong) {
      text += chunk.slice(pieceStart);
      if (text.length > maxObjectChars) {
        tooLong = true;
        text = '';
      }
    }
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const batch = [...consume(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))];
    if (batch.length) yield batch;
  }
  const last = [...consume(decoder.decode()), ...flushJunk()];
  if (depth > 0) last.push({ kind: 'broken', line: start, reason: 'record is cut off: the input ends inside it (truncated file?)', raw: text.slice(0, 1000) });
  if (last.length) yield last;
}
