/**
 * The storage contract of core-metadata: one async interface per aggregate, so a MongoDB (or any other)
 * implementation can sit behind the same domain. Stores speak the EdgeX v3 DTO shapes; they hold no rules
 * beyond uniqueness of ids and names (a clash throws EdgeXError DuplicateName).
 */
import type { Device, DeviceProfile, DeviceService, ProvisionWatcher } from '@edgex-ts/contracts';

export interface ListQuery {
  offset: number;
  /** Maximum number of items; -1 = no limit (the caller caps it at Service.MaxResultCount). */
  limit: number;
  /** Only items carrying every one of these labels. */
  labels?: string[];
}

export interface PageOf<T> {
  /** Number of items matching the filter, ignoring offset and limit. */
  totalCount: number;
  items: T[];
}

/** Operations every aggregate store offers. Names are unique; ids are unique. */
export interface EntityStore<T> {
  /** Inserts; throws EdgeXError DuplicateName when the name or id already exists. */
  add(entity: T): Promise<void>;
  /** Replaces the stored entity with the same id; returns false when there is none. */
  update(entity: T): Promise<boolean>;
  byName(name: string): Promise<T | undefined>;
  byId(id: string): Promise<T | undefined>;
  /** Removes by name; returns false when there was none. */
  deleteByName(name: string): Promise<boolean>;
}

export interface DeviceServiceStore extends EntityStore<DeviceService> {
  list(query: ListQuery): Promise<PageOf<DeviceService>>;
}

export interface DeviceProfileFilter extends ListQuery {
  manufacturer?: string;
  model?: string;
}

export interface DeviceProfileStore extends EntityStore<DeviceProfile> {
  list(query: DeviceProfileFilter): Promise<PageOf<DeviceProfile>>;
}

export interface DeviceFilter extends ListQuery {
  serviceName?: string;
  profileName?: string;
  /** Only the direct children of this device (EdgeX v4 `parent`). */
  parent?: string;
}

export interface DeviceStore extends EntityStore<Device> {
  list(query: DeviceFilter): Promise<PageOf<Device>>;
  /** Number of devices of that service and/or profile. */
  count(filter: Omit<DeviceFilter, 'offset' | 'limit'>): Promise<number>;
}

/** `profileName` matches the watcher's discoveredDevice.profileName. */
export interface ProvisionWatcherFilter extends ListQuery {
  serviceName?: string;
  profileName?: string;
}

export interface ProvisionWatcherStore extends EntityStore<ProvisionWatcher> {
  list(query: ProvisionWatcherFilter): Promise<PageOf<ProvisionWatcher>>;
  count(filter: Omit<ProvisionWatcherFilter, 'offset' | 'limit'>): Promise<number>;
}

/** Everything core-metadata stores. */
export interface MetadataStores {
  deviceServices: DeviceServiceStore;
  deviceProfiles: DeviceProfileStore;
  devices: DeviceStore;
  provisionWatchers: ProvisionWatcherStore;
  close(): Promise<void>;
}
