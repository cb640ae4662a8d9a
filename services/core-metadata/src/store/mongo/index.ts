import type { Device, DeviceProfile, DeviceService, ProvisionWatcher } from '@edgex-ts/contracts';
import type { MongoHandle } from '@edgex-ts/mongo';
import type {
  DeviceFilter,
  DeviceProfileFilter,
  DeviceProfileStore,
  DeviceServiceStore,
  DeviceStore,
  EntityStore,
  ListQuery,
  MetadataStores,
  ProvisionWatcherFilter,
  ProvisionWatcherStore,
} from '../types.js';
import { JsonCollection } from './json-collection.js';

/** MongoDB collections of core-metadata (one per aggregate, like the SQLite tables). */
export const METADATA_COLLECTIONS = {
  deviceServices: 'device_service',
  deviceProfiles: 'device_profile',
  devices: 'device',
  provisionWatchers: 'provision_watcher',
} as const;

function entityStore<T extends { id?: string; name: string }>(c: JsonCollection<T>): EntityStore<T> {
  return {
    add: (e) => c.add(e),
    update: (e) => c.update(e),
    byName: (name) => c.byName(name),
    byId: (id) => c.byId(id),
    deleteByName: (name) => c.deleteByName(name),
  };
}

function page(q: ListQuery) {
  return { offset: q.offset, limit: q.limit, labels: q.labels };
}

function deviceServiceStore(mongo: MongoHandle): [DeviceServiceStore, JsonCollection<DeviceService>] {
  const c = new JsonCollection<DeviceService>(mongo, METADATA_COLLECTIONS.deviceServices, 'device service', []);
  return [{ ...entityStore(c), list: (q) => c.list(page(q)) }, c];
}

function deviceProfileStore(mongo: MongoHandle): [DeviceProfileStore, JsonCollection<DeviceProfile>] {
  const c = new JsonCollection<DeviceProfile>(
    mongo,
    METADATA_COLLECTIONS.deviceProfiles,
    'device profile',
    [
      { field: 'manufacturer', of: (p) => p.manufacturer ?? '' },
      { field: 'model', of: (p) => p.model ?? '' },
    ],
    [['manufacturer', 'model']],
  );
  const store: DeviceProfileStore = {
    ...entityStore(c),
    list: (q: DeviceProfileFilter) => c.list({ ...page(q), where: { manufacturer: q.manufacturer, model: q.model } }),
  };
  return [store, c];
}

function deviceStore(mongo: MongoHandle): [DeviceStore, JsonCollection<Device>] {
  const c = new JsonCollection<Device>(mongo, METADATA_COLLECTIONS.devices, 'device', [
    { field: 'serviceName', of: (d) => d.serviceName },
    { field: 'profileName', of: (d) => d.profileName },
    { field: 'parent', of: (d) => d.parent ?? '' },
  ]);
  const where = (q: Omit<DeviceFilter, 'offset' | 'limit'>) => ({
    serviceName: q.serviceName,
    profileName: q.profileName,
    parent: q.parent,
  });
  const store: DeviceStore = {
    ...entityStore(c),
    list: (q) => c.list({ ...page(q), where: where(q) }),
    count: (q) => c.count({ labels: q.labels, where: where(q) }),
  };
  return [store, c];
}

function provisionWatcherStore(mongo: MongoHandle): [ProvisionWatcherStore, JsonCollection<ProvisionWatcher>] {
  const c = new JsonCollection<ProvisionWatcher>(mongo, METADATA_COLLECTIONS.provisionWatchers, 'provision watcher', [
    { field: 'serviceName', of: (w) => w.serviceName },
    { field: 'profileName', of: (w) => w.discoveredDevice?.profileName ?? '' },
  ]);
  const where = (q: Omit<ProvisionWatcherFilter, 'offset' | 'limit'>) => ({ serviceName: q.serviceName, profileName: q.profileName });
  const store: ProvisionWatcherStore = {
    ...entityStore(c),
    list: (q) => c.list({ ...page(q), where: where(q) }),
    count: (q) => c.count({ labels: q.labels, where: where(q) }),
  };
  return [store, c];
}

/**
 * All four stores over one MongoDB database (opened with the runtime's openMongo); creates their indexes.
 * close() closes the connection.
 */
export async function mongoMetadataStores(mongo: MongoHandle): Promise<MetadataStores> {
  const [deviceServices, a] = deviceServiceStore(mongo);
  const [deviceProfiles, b] = deviceProfileStore(mongo);
  const [devices, c] = deviceStore(mongo);
  const [provisionWatchers, d] = provisionWatcherStore(mongo);
  await Promise.all([a, b, c, d].map((col) => col.ensureIndexes()));
  await Promise.all([a, b, c, d].map((col) => col.fillMissingFields()));
  return { deviceServices, deviceProfiles, devices, provisionWatchers, close: () => mongo.close() };
}
