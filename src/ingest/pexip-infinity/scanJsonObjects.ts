import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { pexipClip } from './pexipClip.ts';

/** One element found in the input: its 1-based index among the elements, and its JSON text or a problem. */
export type ScannedElement =
  | { kind: 'object'; index: number; text: string }
  | { kind: 'problem'; index: number | null; reason: string; raw: string };

export interface ScanOptions {
  /** An element longer than this is refused, not buffered: a participant is a few KB, never megabytes. */
  maxObjectChars?: number;
}

type Role = 'root' | 'candidate' | 'page' | 'objects' | 'element' | 'inner';

interface Frame {
  close: '}' | ']';
  role: Role;
  expectKey: boolean;
  key: string | null;
  /** A scalar or array where an object was expected, already reported. */
  strayElement: boolean;
}

interface Capture {
  depth: number;
  parts: string[];
  length: number;
  overflow: boolean;
}

const garbageLimit = 4000;

/**
 * Splits JSON as Pexip tools save it into its objects, streaming, without holding the file: a single
 * object, concatenated objects or one per line (JSONL), an array of objects, an API page
 * `{meta, objects: […]}` or an array of pages (each page's `objects` come out one by one, so a page
 * cut short still gives its complete objects). Whatever is not one of these — a truncated object, text
 * between objects, a number in place of an object — becomes a problem, and scanning goes on.
 * It does not validate JSON inside an object: the caller parses each object's text and rejects it.
 * The elements come in batches, those of a chunk of the input together.
 */
export async function* scanJsonObjects(input: Readable, options: ScanOptions = {}): AsyncGenerator<ScannedElement[]> {
  const maxChars = options.maxObjectChars ?? 4 * 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  const stack: Frame[] = [];
  let inString = false;
  let escaped = false;
  let keyText: string | null = null;
  let capture: Capture | null = null;
  let index = 0;
  let garbage = '';
  let out: ScannedElement[] = [];

  const flushGarbage = (): void => {
    if (garbage.trim() === '') return;
    out.push({ kind: 'problem', index: null, reason: `text that is not a JSON object or array (after element ${index})`, raw: pexipClip(garbage.trim()) });
    garbage = '';
  };
  // Read through a function: the scanning closure assigns `capture`, which flow analysis cannot see.
  const pending = (): Capture | null => capture;
  const startCapture = (): void => {
    capture = { depth: stack.length, parts: [], length: 0, overflow: false };
  };
  const push = (close: Frame['close'], role: Role): void => {
    stack.push({ close, role, expectKey: close === '}', key: null, strayElement: false });
  };

  const scan = (chunk: string): void => {
    let segmentStart = 0;
    const keep = (end: number): void => {
      if (!capture || capture.overflow) return;
      const part = chunk.slice(segmentStart, end);
      capture.length += part.length;
      if (capture.length > maxChars) {
        capture.overflow = true;
        capture.parts = [];
      } else capture.parts.push(part);
    };
    // Where the next backslash is, searched again only once passed (most strings hold none).
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (inString && !escaped && keyText === null) {
        // Inside a string only a quote or a backslash changes anything: skip to the next one (most of the text is strings).
        if (nextBackslash !== Infinity && nextBackslash < i) {
          nextBackslash = chunk.indexOf('\\', i);
          if (nextBackslash < 0) nextBackslash = Infinity;
        }
        const quote = chunk.indexOf('"', i);
        const next = Math.min(quote < 0 ? Infinity : quote, nextBackslash);
        if (next === Infinity) break;
        i = next;
      }
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') {
          inString = false;
          if (keyText !== null) {
            stack[stack.length - 1]!.key = keyText;
            keyText = null;
          }
        } else if (keyText !== null && keyText.length < 32) keyText += c;
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
        if (stack.length === 0 && garbage) garbage += c;
        continue;
      }
      const top = stack[stack.length - 1];
      if (!top) {
        if (c === '{' || c === '[') {
          flushGarbage();
          if (c === '[') push(']', 'root');
          else {
            push('}', 'candidate');
            index++;
            startCapture();
            segmentStart = i;
          }
        } else {
          if (garbage.length < garbageLimit) garbage += c;
          // A stray string's content is skipped as a whole, so its braces do not open anything.
          if (c === '"') inString = true;
        }
        continue;
      }
      if ((top.role === 'root' || top.role === 'objects') && c !== ',' && c !== top.close && c !== '{' && !top.strayElement) {
        top.strayElement = true;
        index++;
        out.push({ kind: 'problem', index, reason: `element ${index} is not a JSON object`, raw: pexipClip(chunk.slice(i, i + 80)) });
      }
      switch (c) {
        case '"':
          inString = true;
          if (top.close === '}' && top.expectKey) {
            top.expectKey = false;
            if (top.role === 'candidate' || top.role === 'page') keyText = '';
          }
          break;
        case '{':
          if ((top.role === 'root' || top.role === 'objects') && !top.strayElement) {
            push('}', top.role === 'root' ? 'candidate' : 'element');
            index++;
            startCapture();
            segmentStart = i;
          } else push('}', 'inner');
          break;
        case '[':
          if (top.role === 'candidate' && top.key === 'objects' && !top.expectKey) {
            top.role = 'page';
            // The page is no element itself: its own fields (meta) are dropped, its objects captured one by one.
            capture = null;
            index--;
            push(']', 'objects');
          } else push(']', 'inner');
          break;
        case '}':
        case ']': {
          stack.pop();
          const current = pending();
          if (current && stack.length === current.depth - 1) {
            keep(i + 1);
            capture = null;
            if (current.overflow) out.push({ kind: 'problem', index, reason: `element ${index} is longer than ${maxChars} characters`, raw: '' });
            else out.push({ kind: 'object', index, text: current.parts.join('') });
          }
          break;
        }
        case ',':
          top.strayElement = false;
          if (top.close === '}') {
            top.expectKey = true;
            top.key = null;
          }
          break;
        default:
          break;
      }
    }
    keep(chunk.length);
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (out.length) yield out;
    out = [];
  }
  scan(decoder.end());
  flushGarbage();
  const open = pending();
  if (open) out.push({ kind: 'problem', index, reason: `element ${index} is cut short: the input ends inside it (truncated file?)`, raw: pexipClip(open.parts.join('')) });
  else if (stack.length > 0 || inString) out.push({ kind: 'problem', index: null, reason: `the input ends inside a JSON ${stack.some((f) => f.role === 'page') ? 'page' : 'array'} after element ${index} (truncated file?)`, raw: '' });
  if (out.length) yield out;
}
