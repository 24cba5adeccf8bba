import { Readable } from 'node:stream';
import { callDataFormats } from './callDataFormats.ts';

/** How much of a file the guess reads: a few records of any format, and cheap to read with every reader. */
export const sniffBytes = 64 * 1024;

/**
 * A guess at the format of a file that its named format could not read: the first format (in the
 * order of `callDataFormats`) whose reader finds a call or a well-formed excluded record in the
 * file's first bytes. Only for the hint of a message: the file is never ingested on a guess.
 */
export async function sniffCallDataFormat(head: Buffer, except: string): Promise<string | undefined> {
  // A record cut at the end of the head is no evidence either way: keep whole lines.
  const lastBreak = head.length >= sniffBytes ? head.lastIndexOf(0x0a) : -1;
  const text = lastBreak > 0 ? head.subarray(0, lastBreak + 1) : head;
  for (const format of Object.values(callDataFormats)) {
    if (format.name === except) continue;
    try {
      for await (const record of format.reader(Readable.from([text]), { file: 'sniff', mapping: format.defaultMapping })) {
        if (record.kind !== 'reject') return format.name;
      }
    } catch {
      // A reader that cannot make sense of the text at all: not this format.
    }
  }
  return undefined;
}
