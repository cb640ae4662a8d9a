import type { Event, ExactInteger, Reading } from '@edgex-ts/contracts';

/**
 * The storage contract of core-data. Stores speak the EdgeX v3 Event/Reading DTO shapes
 * (reference §3.2) so the domain can hand validated DTOs straight in and send query results straight out.
 */

/** A reading as stored and returned (returned readings always carry their id). */
export type ReadingRecord = Reading;
export type EventRecord = Event;

/** Selects events: every bound is optional; `start`/`end` are origins in ns, both ends included. */
export interface EventFilter {
  deviceName?: string;
  start?: ExactInteger;
  end?: ExactInteger;
}

/** Selects readings; `resourceNames` (when non-empty) keeps only readings of those resources. */
export interface ReadingFilter extends EventFilter {
  resourceNames?: string[];
}

export interface Page {
  offset: number;
  /** Maximum number of items; the caller caps it (Service.MaxResultCount). */
  limit: number;
}

/** What per-device retention caps judge a device by: its stored readings, and the profile of its newest event. */
export interface DeviceTotals {
  deviceName: string;
  profileName: string;
  readings: number;
}

/** Outcome of one event of a batch: stored, or a duplicate of an id already stored. */
export type AddOutcome = 'stored' | 'duplicate';

export interface EventStore {
  /**
   * True when concurrent addEvents calls are merged into shared transactions by the store itself (the
   * SQLite writer thread does), so callers may hand over every batch at once instead of one at a time.
   */
  readonly mergesConcurrentAdds?: boolean;
  /**
   * Stores a batch of events in one transaction. Returns one outcome per event, in order; a duplicate id
   * affects only that event. Throws (storing nothing) when the database fails.
   */
  addEvents(events: EventRecord[]): Promise<AddOutcome[]>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  listEvents(filter: EventFilter, page: Page): Promise<EventRecord[]>;
  countEvents(filter: EventFilter): Promise<number>;
  listReadings(filter: ReadingFilter, page: Page): Promise<ReadingRecord[]>;
  countReadings(filter: ReadingFilter): Promise<number>;
  /** Returns whether the event existed. */
  deleteEvent(id: string): Promise<boolean>;
  /** Deletes the device's events and their readings; returns the number of events deleted. */
  deleteEventsByDevice(deviceName: string): Promise<number>;
  /**
   * Deletes events (and readings) whose origin is strictly below `origin`; returns the number deleted.
   * With `limit`, deletes at most that many, the oldest first (one bounded transaction: callers loop).
   */
  deleteEventsOlderThan(origin: ExactInteger, limit?: number): Promise<number>;
  /** deleteEventsOlderThan for the events of one device only. */
  deleteDeviceEventsOlderThan(deviceName: string, origin: ExactInteger, limit?: number): Promise<number>;
  /**
   * Every device holding at least `minReadings` readings (at least 1). SQLite reads its running totals; MongoDB
   * counts in one aggregation over the readings' device index, then finds the profile of each device listed.
   */
  listDeviceTotals(minReadings?: number): Promise<DeviceTotals[]>;
  close(): Promise<void>;
}
