import type { Device, DeviceProfile, DeviceService } from '@edgex-ts/contracts';
import type { MetadataLookup } from '../domain/ports.js';

/** What a system event from core-metadata says changed (reference §4.3). */
export type MetadataKind = 'device' | 'deviceprofile' | 'deviceservice';

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

/** One kind of entity by name; a lookup in progress is shared, a failed one is not kept. */
class NamedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (name: string) => Promise<T>,
  ) {}

  get(name: string): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(name);
    if (hit && hit.expires > now) return hit.value;
    const entry: Entry<T> = { value: this.load(name), expires: now + this.ttlMs };
    this.entries.set(name, entry);
    // Errors (NotFound, core-metadata unreachable) are not cached; an invalidated entry is not put back.
    entry.value.catch(() => {
      if (this.entries.get(name) === entry) this.entries.delete(name);
    });
    return entry.value;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Devices, profiles and device services from core-metadata, kept for at most `ttlMs` and dropped at once when a
 * system event says they changed (see invalidate). Lists are not cached. This spares every command three calls
 * to core-metadata; the TTL bounds how stale an entry can get should a system event be missed.
 */
export class CachedMetadata implements MetadataLookup {
  private readonly deviceCache: NamedCache<Device>;
  private readonly profileCache: NamedCache<DeviceProfile>;
  private readonly serviceCache: NamedCache<DeviceService>;

  constructor(
    private readonly source: MetadataLookup,
    ttlMs: number,
  ) {
    this.deviceCache = new NamedCache(ttlMs, (n) => source.device(n));
    this.profileCache = new NamedCache(ttlMs, (n) => source.profile(n));
    this.serviceCache = new NamedCache(ttlMs, (n) => source.deviceService(n));
  }

  device(name: string): Promise<Device> {
    return this.deviceCache.get(name);
  }

  devices(page: { offset: number; limit: number }): Promise<{ devices: Device[]; totalCount: number }> {
    return this.source.devices(page);
  }

  profile(name: string): Promise<DeviceProfile> {
    return this.profileCache.get(name);
  }

  deviceService(name: string): Promise<DeviceService> {
    return this.serviceCache.get(name);
  }

  /** Forgets `name` of `kind` (added, updated or deleted in core-metadata). */
  invalidate(kind: MetadataKind, name: string): void {
    if (kind === 'device') this.deviceCache.delete(name);
    else if (kind === 'deviceprofile') this.profileCache.delete(name);
    else this.serviceCache.delete(name);
  }

  /** Forgets everything (e.g. when events may have been missed). */
  clear(): void {
    this.deviceCache.clear();
    this.profileCache.clear();
    this.serviceCache.clear();
  }
}
