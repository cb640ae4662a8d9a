/**
 * The SQLite writer thread of ThreadedEventStore: the only connection that writes the file. Batches of
 * events that arrive while a transaction runs are merged into the next one (group commit across batches:
 * a transaction costs about the same for 50 events as for 500); every batch is answered after the
 * transaction holding it has committed. Deletes run in arrival order, after the batches sent before them.
 * Imports only the store (not the service runtime) to keep this thread's memory small.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorKind, errorMessage } from '@edgex-ts/contracts/errors';
import type { EventRows } from './event-rows.js';
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

/** Batches received and not yet committed, with the request numbers to answer. */
let adds: { seq: number; rows: EventRows }[] = [];
let commitScheduled = false;

function reply(message: WriterReply): void {
  port.postMessage(message);
}

function failure(seq: number, err: unknown): WriterReply {
  return { seq, ok: false, kind: errorKind(err) ?? 'Database', message: errorMessage(err) };
}

function commitAdds(): void {
  commitScheduled = false;
  if (adds.length === 0) return;
  const batch = adds;
  adds = [];
  let outcomes: ReturnType<SqliteEventStore['addRows']>;
  try {
    outcomes = store.addRows(batch.map((a) => a.rows));
  } catch (err) {
    for (const a of batch) reply(failure(a.seq, err));
    return;
  }
  for (let i = 0; i < batch.length; i++) reply({ seq: batch[i].seq, ok: true, result: outcomes[i] });
}

async function handle(req: Exclude<WriterRequest, { op: 'add' }>): Promise<unknown> {
  switch (req.op) {
    case 'deleteEvent':
      return store.deleteEvent(req.id);
    case 'deleteEventsByDevice':
      return store.deleteEventsByDevice(req.deviceName);
    case 'deleteEventsOlderThan':
      return store.deleteEventsOlderThan(req.origin, req.limit);
    case 'deleteDeviceEventsOlderThan':
      return store.deleteDeviceEventsOlderThan(req.deviceName, req.origin, req.limit);
    case 'close':
      await store.close();
      return undefined;
  }
}

port.on('message', (req: WriterRequest) => {
  if (req.op === 'add') {
    adds.push({ seq: req.seq, rows: req.rows });
    // setImmediate runs after every message already waiting on the port has been received.
    if (!commitScheduled) {
      commitScheduled = true;
      setImmediate(commitAdds);
    }
    return;
  }
  commitAdds();
  handle(req).then(
    (result) => {
      reply({ seq: req.seq, ok: true, result });
      if (req.op === 'close') port.close();
    },
    (err: unknown) => reply(failure(req.seq, err)),
  );
});
