import {
  AddEventRequestSchema,
  EdgeXError,
  errorKind,
  EventSchema,
  exactInteger,
  parseDto,
  type AddEventRequest,
  type Event,
  type ExactInteger,
  type Reading,
} from '@edgex-ts/contracts';
import { fastAddEventRequest, fastEvent } from './fast-event-check.js';
import { checkOffset } from '@edgex-ts/runtime';
import type { AddOutcome, EventFilter, EventStore, ReadingFilter } from '../store/types.js';
import type { WriteQueue } from '../store/write-queue.js';

export type Transport = 'rest' | 'grpc' | 'bus';

/** Where accepted events go after they are stored (the bus re-publisher); optional. */
export interface EventRepublisher<Prepared = unknown> {
  /**
   * Encodes an event for edgex/events/core/<service>/<profile>/<device>/<source>. Called before the commit,
   * so that only the encoded bytes, not the event's objects, wait for it (ingest keeps hundreds of events
   * in flight; objects that outlive a young-generation collection are what the garbage collector pays for).
   */
  prepare(event: Event, serviceName: string): Prepared;
  /** Fire-and-forget publish of a prepared event. */
  publish(prepared: Prepared): void;
}

/** Hooks for metrics; all optional. */
export interface IngestObserver {
  accepted?(transport: Transport, events: number, readings: number): void;
  rejected?(transport: Transport, kind: string): void;
}

export interface DataDomainDeps {
  store: EventStore;
  queue: WriteQueue;
  republisher?: EventRepublisher;
  observer?: IngestObserver;
  /** Writable.PersistData: false = re-publish only. */
  persist: () => boolean;
  /** MaxEventSize in KB. */
  maxEventSizeKb: number;
  /** Service.MaxResultCount. */
  maxResultCount: number;
}

export interface AddEventOptions {
  transport: Transport;
  /** Size of the event as received (bytes), checked against MaxEventSize. */
  sizeBytes?: number;
  /** Device service that produced the event (for the re-published topic). */
  serviceName?: string;
  /** REST POST: the names in the path must equal the event's. */
  pathNames?: { profileName: string; deviceName: string; sourceName: string };
}

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface TimeRange {
  start?: ExactInteger;
  end?: ExactInteger;
}

/** The rules of core-data: validation, persistence through the write queue, queries. No transport here. */
export interface DataDomain {
  /** Validates an AddEventRequest body (ContractInvalid naming the field). */
  parseAddEventRequest(raw: unknown): AddEventRequest;
  /** Validates a bare Event (e.g. mapped from protobuf); fields are named from `root` (default `event`). */
  parseEvent(raw: unknown, root?: string): Event;
  /**
   * Validates, persists (resolving after commit), then re-publishes unless it came from the bus. Returns the
   * id. Nothing here holds on to `event` until the commit: the queue hands it to the store at once.
   */
  addEvent(event: Event, opts: AddEventOptions): Promise<string>;
  getEvent(id: string): Promise<Event>;
  listEvents(filter: EventFilter, page: PageRequest): Promise<{ totalCount: number; events: Event[] }>;
  countEvents(filter: EventFilter): Promise<number>;
  listReadings(filter: ReadingFilter, page: PageRequest): Promise<{ totalCount: number; readings: Reading[] }>;
  countReadings(filter: ReadingFilter): Promise<number>;
  deleteEvent(id: string): Promise<void>;
  /** Deletes the device's events; waits for the queue first so events accepted before are included. */
  deleteEventsByDevice(deviceName: string): Promise<number>;
  /** Deletes events whose origin is older than now − ageNs (exact ns arithmetic). */
  deleteEventsByAge(ageNs: ExactInteger): Promise<number>;
}

export function createDataDomain(deps: DataDomainDeps): DataDomain {
  const { store, queue, observer } = deps;

  const rejected = (transport: Transport, err: unknown): void => {
    observer?.rejected?.(transport, errorKind(err) ?? 'Database');
  };

  /** Why the event cannot be accepted as it came (too large, names unlike its path's), if it cannot. */
  const problemOf = (event: Event, opts: AddEventOptions): EdgeXError | undefined => {
    const limit = deps.maxEventSizeKb * 1024;
    if (opts.sizeBytes !== undefined && opts.sizeBytes > limit) {
      return new EdgeXError('LimitExceeded', `event size ${opts.sizeBytes} bytes exceeds MaxEventSize ${deps.maxEventSizeKb} KB`);
    }
    const p = opts.pathNames;
    if (p) {
      for (const key of ['profileName', 'deviceName', 'sourceName'] as const) {
        if (p[key] !== event[key]) {
          return new EdgeXError('ContractInvalid', `event.${key}: '${event[key]}' does not match ${key} '${p[key]}' in the request path`);
        }
      }
    }
    return undefined;
  };

  const cap = (page: PageRequest): PageRequest => {
    const max = deps.maxResultCount;
    const limit = page.limit < 0 || page.limit > max ? max : page.limit;
    return { offset: page.offset, limit };
  };

  return {
    parseAddEventRequest(raw) {
      return fastAddEventRequest(raw) ?? parseDto(AddEventRequestSchema, raw, '');
    },

    parseEvent(raw, root = 'event') {
      return fastEvent(raw) ?? parseDto(EventSchema, raw, root);
    },

    addEvent(event, opts) {
      const { transport } = opts;
      const problem = problemOf(event, opts);
      if (problem) {
        rejected(transport, problem);
        return Promise.reject(problem);
      }
      const id = event.id;
      const readings = event.readings.length;
      const republisher = transport === 'bus' ? undefined : deps.republisher;
      const prepared = republisher?.prepare(event, opts.serviceName || 'core-data');
      const stored = deps.persist() ? queue.add(event) : Promise.resolve<AddOutcome>('stored');
      return stored.then(
        (outcome) => {
          if (outcome === 'duplicate') {
            observer?.rejected?.(transport, 'DuplicateName');
            throw new EdgeXError('DuplicateName', `event.id: an event with id ${id} already exists`);
          }
          observer?.accepted?.(transport, 1, readings);
          if (republisher) republisher.publish(prepared);
          return id;
        },
        (err: unknown) => {
          rejected(transport, err);
          throw err;
        },
      );
    },

    async getEvent(id) {
      const ev = await store.getEvent(id);
      if (!ev) throw new EdgeXError('NotFound', `event with id ${id} not found`);
      return ev;
    },

    async listEvents(filter, page) {
      checkRange(filter);
      const totalCount = await store.countEvents(filter);
      if (!checkOffset(page.offset, totalCount)) return { totalCount, events: [] };
      return { totalCount, events: await store.listEvents(filter, cap(page)) };
    },

    countEvents(filter) {
      checkRange(filter);
      return store.countEvents(filter);
    },

    async listReadings(filter, page) {
      checkRange(filter);
      const totalCount = await store.countReadings(filter);
      if (!checkOffset(page.offset, totalCount)) return { totalCount, readings: [] };
      return { totalCount, readings: await store.listReadings(filter, cap(page)) };
    },

    countReadings(filter) {
      checkRange(filter);
      return store.countReadings(filter);
    },

    async deleteEvent(id) {
      if (!(await store.deleteEvent(id))) throw new EdgeXError('NotFound', `event with id ${id} not found`);
    },

    async deleteEventsByDevice(deviceName) {
      if (deviceName.trim() === '') throw new EdgeXError('ContractInvalid', 'name: must not be blank');
      await queue.whenBelow(1);
      return store.deleteEventsByDevice(deviceName);
    },

    async deleteEventsByAge(ageNs) {
      if (typeof ageNs === 'number' && !Number.isSafeInteger(ageNs)) {
        throw new EdgeXError('ContractInvalid', `age: must be a non-negative integer, got ${ageNs}`);
      }
      if (ageNs < 0) throw new EdgeXError('ContractInvalid', `age: must be a non-negative integer, got ${ageNs}`);
      await queue.whenBelow(1);
      return store.deleteEventsOlderThan(exactInteger(BigInt(Date.now()) * 1_000_000n - BigInt(ageNs)));
    },
  };
}

function checkRange(r: TimeRange): void {
  if (r.start !== undefined && r.end !== undefined && r.end < r.start) {
    throw new EdgeXError('ContractInvalid', `end: ${r.end} is before start ${r.start}`);
  }
}
