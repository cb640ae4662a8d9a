/**
 * The SQLite writer thread of ThreadedEventStore: the only connection that writes the file. It runs the
 * inserts and deletes it is sent, one at a time, and answers each after its transaction has committed.
 * Imports only the store (not the service runtime) to keep this thread's memory small.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from './sqlite-store.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-protocol.js';

const { path, busyTimeoutMs } = workerData as WriterData;
// The main thread has already opened the file with openSqlite (WAL is a property of the file); these are
// the per-connection settings openSqlite would apply.
const db = new Database(path);
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const store = new SqliteEventStore(db);
const port = parentPort!;

async function handle(req: WriterRequest): Promise<unknown> {
  switch (req.op) {
    case 'add':
      return store.addRows(req.rows);
    case 'deleteEvent':
      return store.deleteEvent(req.id);
    case 'deleteEventsByDevice':
      return store.deleteEventsByDevice(req.deviceName);
    case 'deleteEventsOlderThan':
      return store.deleteEventsOlderThan(req.origin);
    case 'close':
      await store.close();
      return undefined;
  }
}

port.on('message', (req: WriterRequest) => {
  handle(req).then(
    (result) => {
      port.postMessage({ seq: req.seq, ok: true, result } satisfies WriterReply);
      if (req.op === 'close') port.close();
    },
    (err: unknown) => port.postMessage({ seq: req.seq, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies WriterReply),
  );
});
