import { parentPort } from 'node:worker_threads';
import { parseCmsRecords, type CmsParseItem } from './parseCmsRecords.ts';

/** A body to parse, its bytes moved (not copied) to the worker; or the go-ahead for a body's next slice. */
export type CmsParseRequest = { id: number; kind: 'parse'; body: Uint8Array } | { id: number; kind: 'next' };

/**
 * The answer to a request: its items in slices, then `done`. The main thread asks for each next
 * slice once it has taken in the last one: sent all at once, the slices would be copied in by one
 * task of the main thread, which is the very stall the worker is there to avoid.
 */
export type CmsParseMessage =
  | { id: number; kind: 'items'; items: CmsParseItem[] }
  | { id: number; kind: 'done'; unreadable?: string }
  | { id: number; kind: 'failed'; message: string };

const itemsPerMessage = 500;

/** The worker thread's side of parseCmsBody: parses each body it is sent, one after the other. */
export function serveCmsParseRequests(): void {
  const port = parentPort;
  if (!port) throw new Error('cmsParseWorker.ts runs in a worker thread only');
  const post = (message: CmsParseMessage): void => port.postMessage(message);
  /** The items of each body not sent yet. */
  const pending = new Map<number, CmsParseItem[]>();
  const sendNext = (id: number): void => {
    const items = pending.get(id);
    if (!items) return;
    if (items.length === 0) {
      pending.delete(id);
      post({ id, kind: 'done' });
    } else {
      post({ id, kind: 'items', items: items.splice(0, itemsPerMessage) });
    }
  };
  port.on('message', (request: CmsParseRequest) => {
    if (request.kind === 'next') return sendNext(request.id);
    try {
      const parsed = parseCmsRecords(new TextDecoder('utf-8').decode(request.body));
      if (!parsed.readable) return post({ id: request.id, kind: 'done', unreadable: parsed.reason });
      pending.set(request.id, parsed.items);
      sendNext(request.id);
    } catch (error) {
      post({ id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
