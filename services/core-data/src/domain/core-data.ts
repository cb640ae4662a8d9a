import { AddEventRequestSchema, EdgeXError, EventSchema, parseDto, type AddEventRequest, type Event, type Reading } from '@edgex-ts/sdk/contracts';
import { fastAddEventRequest, fastEvent } from './fast-event-check.js';
import { checkOffset } from '@edgex-ts/sdk/runtime';
import type { EventFilter, EventStore, ReadingFilter } from '../store/types.js';
import type { WriteQueue } from '../store/write-queue.js';

export type Transport = 'rest' | 'grpc' | 'bus';

/** Where accepted events go after they are stored (the bus re-publisher); optional. */
export interface EventRepublisher {
  /** Fire-and-forget publish of an accepted event on edgex/events/core/<service>/<profile>/<device>/<source>. */
  republish(event: Event, serviceName: string): void;
}

/** Hooks for metrics; all optional. */
export interface IngestObserver {
  accepted?(transport: Transport, events: number, readings: number): void;
  rejected?(transport: Transport, kind: string): void;
}

export interface CoreDataDomainOptions {
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
  start?: number;
  end?: number;
}

/** The rules of core-data: validation, persistence through the write queue, queries. No transport here. */
export class CoreDataDomain {
  constructor(private readonly o: CoreDataDomainOptions) {}

  /** Validates an AddEventRequest body (ContractInvalid naming the field). */
  parseAddEventRequest(raw: unknown): AddEventRequest {
    return fastAddEventRequest(raw) ?? parseDto(AddEventRequestSchema, raw, '');
  }

  /** Validates a bare Event (e.g. mapped from protobuf); fields are named from `root`. */
  parseEvent(raw: unknown, root = 'event'): Event {
    return fastEvent(raw) ?? parseDto(EventSchema, raw, root);
  }

  /** Validates, persists (resolving after commit), then re-publishes unless it came from the bus. Returns the id. */
  async addEvent(event: Event, opts: AddEventOptions): Promise<string> {
    try {
      this.checkEvent(event, opts);
      if (this.o.persist()) {
        const outcome = await this.o.queue.add(event);
        if (outcome === 'duplicate') throw new EdgeXError('DuplicateName', `event.id: an event with id ${event.id} already exists`);
      }
    } catch (err) {
      this.o.observer?.rejected?.(opts.transport, err instanceof EdgeXError ? err.kind : 'Database');
      throw err;
    }
    this.o.observer?.accepted?.(opts.transport, 1, event.readings.length);
    if (opts.transport !== 'bus') this.o.republisher?.republish(event, opts.serviceName || 'core-data');
    return event.id;
  }

  private checkEvent(event: Event, opts: AddEventOptions): void {
    const limit = this.o.maxEventSizeKb * 1024;
    if (opts.sizeBytes !== undefined && opts.sizeBytes > limit) {
      throw new EdgeXError(
        'LimitExceeded',
        `event size ${opts.sizeBytes} bytes exceeds MaxEventSize ${this.o.maxEventSizeKb} KB`,
      );
    }
    const p = opts.pathNames;
    if (p) {
      for (const key of ['profileName', 'deviceName', 'sourceName'] as const) {
        if (p[key] !== event[key]) {
          throw new EdgeXError(
            'ContractInvalid',
            `event.${key}: '${event[key]}' does not match ${key} '${p[key]}' in the request path`,
          );
        }
      }
    }
  }

  async getEvent(id: string): Promise<Event> {
    const ev = await this.o.store.getEvent(id);
    if (!ev) throw new EdgeXError('NotFound', `event with id ${id} not found`);
    return ev;
  }

  async listEvents(filter: EventFilter, page: PageRequest): Promise<{ totalCount: number; events: Event[] }> {
    checkRange(filter);
    const totalCount = await this.o.store.countEvents(filter);
    if (!checkOffset(page.offset, totalCount)) return { totalCount, events: [] };
    return { totalCount, events: await this.o.store.listEvents(filter, this.cap(page)) };
  }

  countEvents(filter: EventFilter): Promise<number> {
    checkRange(filter);
    return this.o.store.countEvents(filter);
  }

  async listReadings(filter: ReadingFilter, page: PageRequest): Promise<{ totalCount: number; readings: Reading[] }> {
    checkRange(filter);
    const totalCount = await this.o.store.countReadings(filter);
    if (!checkOffset(page.offset, totalCount)) return { totalCount, readings: [] };
    return { totalCount, readings: await this.o.store.listReadings(filter, this.cap(page)) };
  }

  countReadings(filter: ReadingFilter): Promise<number> {
    checkRange(filter);
    return this.o.store.countReadings(filter);
  }

  async deleteEvent(id: string): Promise<void> {
    if (!(await this.o.store.deleteEvent(id))) throw new EdgeXError('NotFound', `event with id ${id} not found`);
  }

  /** Deletes the device's events; waits for the queue first so events accepted before are included. */
  async deleteEventsByDevice(deviceName: string): Promise<number> {
    if (deviceName.trim() === '') throw new EdgeXError('ContractInvalid', 'name: must not be blank');
    await this.o.queue.whenBelow(1);
    return this.o.store.deleteEventsByDevice(deviceName);
  }

  /** Deletes events whose origin is older than now − ageNs. */
  async deleteEventsByAge(ageNs: number): Promise<number> {
    if (!Number.isFinite(ageNs) || ageNs < 0) throw new EdgeXError('ContractInvalid', `age: must be a non-negative integer, got ${ageNs}`);
    await this.o.queue.whenBelow(1);
    return this.o.store.deleteEventsOlderThan(Date.now() * 1e6 - ageNs);
  }

  private cap(page: PageRequest): PageRequest {
    const max = this.o.maxResultCount;
    const limit = page.limit < 0 || page.limit > max ? max : page.limit;
    return { offset: page.offset, limit };
  }
}

function checkRange(r: TimeRange): void {
  if (r.start !== undefined && r.end !== undefined && r.end < r.start) {
    throw new EdgeXError('ContractInvalid', `end: ${r.end} is before start ${r.start}`);
  }
}
