import type { ErrorKind, ExactInteger } from '@edgex-ts/contracts';
import type { EventRows } from './event-rows.js';

/** Messages between ThreadedEventStore (main thread) and its SQLite writer thread. */
export type WriterRequest =
  | { seq: number; op: 'add'; rows: EventRows }
  | { seq: number; op: 'deleteEvent'; id: string }
  | { seq: number; op: 'deleteEventsByDevice'; deviceName: string }
  | { seq: number; op: 'deleteEventsOlderThan'; origin: ExactInteger; limit?: number }
  | { seq: number; op: 'deleteDeviceEventsOlderThan'; deviceName: string; origin: ExactInteger; limit?: number }
  | { seq: number; op: 'close' };

/** A failure carries its EdgeX kind across the thread (an Error's class does not survive postMessage). */
export type WriterReply = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; kind: ErrorKind; message: string };

export interface WriterData {
  path: string;
  busyTimeoutMs: number;
}
