import { EdgeXError, type ExactInteger } from '@edgex-ts/contracts';
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { workerEntry } from '@edgex-ts/runtime';
import { flattenEvents } from './event-rows.js';
import { SqliteEventStore } from './sqlite-store.js';
import type { AddOutcome, DeviceTotals, EventFilter, EventRecord, EventStore, Page, ReadingFilter, ReadingRecord } from './types.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-protocol.js';

type Request = WriterRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

/**
 * EventStore whose writes (inserts, deletes) run on a worker thread with its own connection, so SQLite
 * commits use the second core while the main thread decodes, validates and answers; the WriteQueue keeps
 * batching while a commit runs. Reads stay on the main thread on `reader` (WAL: readers never block the
 * writer and see every commit that has been answered). Each write resolves only after it has committed.
 */
export class ThreadedEventStore implements EventStore {
  private readonly worker: Worker;
  private readonly reader: SqliteEventStore;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextSeq = 1;
  private failure: Error | undefined;
  private closing = false;
  private exited: Promise<void>;

  /** `db` is the main thread's connection to `path` (opened with openSqlite); it becomes read-only. */
  constructor(db: Database.Database, path: string, options: { log?: Logger; busyTimeoutMs?: number } = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.reader = new SqliteEventStore(db, options.log); // brings the schema up to date before the writer opens the file
    db.pragma('query_only = ON');
    const [entry, entryOptions] = workerEntry(import.meta.url, 'sqlite-writer.worker');
    this.worker = new Worker(entry, {
      ...entryOptions,
      workerData: { path, busyTimeoutMs } satisfies WriterData,
      // The writer holds one batch at a time: a small young generation keeps its memory flat.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
    });
    // The thread keeps the process alive only while it has work (see send()).
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => {
      const w = this.waiting.get(reply.seq);
      if (!w) return;
      this.waiting.delete(reply.seq);
      if (this.waiting.size === 0 && !this.closing) this.worker.unref();
      if (reply.ok) w.resolve(reply.result);
      else w.reject(new EdgeXError(reply.kind, reply.message));
    });
    this.worker.on('error', (err) => this.fail(new EdgeXError('Database', `core-data SQLite writer failed: ${err.message}`, err)));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new EdgeXError('Database', 'core-data SQLite writer has stopped'));
        resolve();
      }),
    );
  }

  /** The writer thread merges the batches that reach it while it commits into one transaction. */
  readonly mergesConcurrentAdds = true;

  /** Not async: once the rows are posted, nothing here refers to `events` while the commit runs. */
  addEvents(events: EventRecord[]): Promise<AddOutcome[]> {
    return this.send({ op: 'add', rows: flattenEvents(events) }) as Promise<AddOutcome[]>;
  }

  async deleteEvent(id: string): Promise<boolean> {
    return (await this.send({ op: 'deleteEvent', id })) as boolean;
  }

  async deleteEventsByDevice(deviceName: string): Promise<number> {
    return (await this.send({ op: 'deleteEventsByDevice', deviceName })) as number;
  }

  async deleteEventsOlderThan(origin: ExactInteger, limit?: number): Promise<number> {
    return (await this.send({ op: 'deleteEventsOlderThan', origin, limit })) as number;
  }

  async deleteDeviceEventsOlderThan(deviceName: string, origin: ExactInteger, limit?: number): Promise<number> {
    return (await this.send({ op: 'deleteDeviceEventsOlderThan', deviceName, origin, limit })) as number;
  }

  listDeviceTotals(minReadings?: number): Promise<DeviceTotals[]> {
    return this.reader.listDeviceTotals(minReadings);
  }

  getEvent(id: string): Promise<EventRecord | undefined> {
    return this.reader.getEvent(id);
  }

  listEvents(filter: EventFilter, page: Page): Promise<EventRecord[]> {
    return this.reader.listEvents(filter, page);
  }

  countEvents(filter: EventFilter): Promise<number> {
    return this.reader.countEvents(filter);
  }

  listReadings(filter: ReadingFilter, page: Page): Promise<ReadingRecord[]> {
    return this.reader.listReadings(filter, page);
  }

  countReadings(filter: ReadingFilter): Promise<number> {
    return this.reader.countReadings(filter);
  }

  /** Closes the writer (after the writes already sent) and then the reader. */
  async close(): Promise<void> {
    if (!this.failure) {
      this.closing = true;
      await this.send({ op: 'close' }).catch(() => undefined);
      await this.exited;
    }
    await this.reader.close();
  }

  private send(req: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ ...req, seq });
    });
  }

  private fail(err: EdgeXError): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
