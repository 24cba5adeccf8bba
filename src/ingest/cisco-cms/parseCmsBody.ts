import { Worker } from 'node:worker_threads';
import type { CmsParseMessage, CmsParseRequest } from './cmsParseWorker.ts';
import { parseCmsRecords, type CmsParseItem, type CmsParseResult } from './parseCmsRecords.ts';

/**
 * Bodies up to this size are parsed on the calling thread: well under 30 ms even on a busy machine
 * (CMS posts a few records, a few kB). Larger ones, up to the receiver's 4 MiB, take a second or more.
 */
export const inlineParseBytes = 32 * 1024;

interface Job {
  items: CmsParseItem[];
  resolve: (result: CmsParseResult) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread, started on first use and kept for the next bodies; it never keeps the process
 * alive while idle. Bodies are parsed one after the other, so a flood of large posts queues here
 * instead of starting a thread each. A worker that dies fails its pending bodies (the sender gets a
 * 5xx and resends) and the next body starts a new one.
 */
class CmsParseThread {
  #worker: Worker | undefined;
  #jobs = new Map<number, Job>();
  #lastId = 0;

  parse(body: Uint8Array): Promise<CmsParseResult> {
    const worker = this.#worker ?? this.#start();
    const id = ++this.#lastId;
    // A copy of exactly these bytes, moved to the worker: a Buffer may be a view of a larger pool.
    const bytes = new Uint8Array(body);
    return new Promise((resolve, reject) => {
      this.#jobs.set(id, { items: [], resolve, reject });
      worker.ref();
      worker.postMessage({ id, kind: 'parse', body: bytes } satisfies CmsParseRequest, [bytes.buffer]);
    });
  }

  #start(): Worker {
    const worker = new Worker(new URL('./cmsParseWorkerEntry.mjs', import.meta.url));
    worker.on('message', (message: CmsParseMessage) => this.#receive(message));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`the CMS parse thread stopped (exit code ${code})`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #receive(message: CmsParseMessage): void {
    const job = this.#jobs.get(message.id);
    if (!job) return;
    if (message.kind === 'items') {
      for (const item of message.items) job.items.push(item);
      this.#worker?.postMessage({ id: message.id, kind: 'next' } satisfies CmsParseRequest);
      return;
    }
    this.#jobs.delete(message.id);
    if (this.#jobs.size === 0) this.#worker?.unref();
    if (message.kind === 'failed') job.reject(new Error(`parsing the CMS body failed: ${message.message}`));
    else if (message.unreadable !== undefined) job.resolve({ readable: false, reason: message.unreadable });
    else job.resolve({ readable: true, items: job.items });
  }

  #fail(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const job of this.#jobs.values()) job.reject(error);
    this.#jobs.clear();
    void worker.terminate();
  }
}

const thread = new CmsParseThread();

/**
 * Parses one POST body like parseCmsRecords, without holding the event loop: a large body is
 * parsed on a worker thread and its items come back in slices (one request must not
 * stall the server). The bytes are decoded as UTF-8, invalid sequences becoming U+FFFD.
 */
export async function parseCmsBody(body: Uint8Array): Promise<CmsParseResult> {
  if (body.length <= inlineParseBytes) return parseCmsRecords(new TextDecoder('utf-8').decode(body));
  return thread.parse(body);
}
