import { isBillingError } from '../domain/billingError.ts';

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes that wait together go together: the first write opens a group at once, and the writes that
 * arrive while it is being stored wait and form the next one, up to `limit` (by `sizeOf`; a write
 * larger than that goes alone). Each write resolves with its own result once its group is stored
 * (committed), or fails with the group's error when the database is away. Any other error may be one
 * write's own (a value the database refuses): each write of the group is then stored alone, so that
 * it fails only its own request.
 */
export class WriteGroups<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private writing = false;

  constructor(
    private readonly store: (group: readonly T[]) => Promise<R[]>,
    private readonly sizeOf: (item: T) => number,
    private readonly limit: number,
  ) {}

  add(item: T): Promise<R> {
    const done = new Promise<R>((resolve, reject) => this.waiting.push({ item, resolve, reject }));
    if (!this.writing) {
      this.writing = true;
      // After this turn of the event loop: the writes that one read let through together (the
      // generations of many requests, say) arrive in the same turn, and go in the same group.
      setImmediate(() => void this.write());
    }
    return done;
  }

  private async write(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      try {
        const results = await this.store(group.map((w) => w.item));
        group.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        if (group.length === 1 || (isBillingError(error) && error.code === 'storage')) group.forEach((w) => w.reject(error));
        else for (const w of group) await this.store([w.item]).then((r) => w.resolve(r[0]!), w.reject);
      }
    }
    this.writing = false;
  }

  /** The waiting writes, in arrival order, up to the limit (at least one). */
  private nextGroup(): Waiting<T, R>[] {
    let size = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || size + this.sizeOf(this.waiting[n]!.item) <= this.limit)) size += this.sizeOf(this.waiting[n++]!.item);
    return this.waiting.splice(0, n);
  }
}
