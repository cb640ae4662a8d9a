import type { Database } from 'better-sqlite3';
import type { Device, DeviceProfile, DeviceService, ProvisionWatcher } from '@edgex-ts/contracts';
import { migrateSqlite, type SqliteSchema } from '@edgex-ts/sqlite';
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
import { JsonTable, type IndexedColumn } from './json-table.js';

/** The async EntityStore operations over a synchronous JsonTable. */
function entityStore<T extends { id?: string; name: string }>(table: JsonTable<T>): EntityStore<T> {
  return {
    add: async (e) => table.add(e),
    update: async (e) => table.update(e),
    byName: async (name) => table.byName(name),
    byId: async (id) => table.byId(id),
    deleteByName: async (name) => table.deleteByName(name),
  };
}

function page(q: ListQuery) {
  return { offset: q.offset, limit: q.limit, labels: q.labels };
}

export function sqliteDeviceServiceStore(db: Database): DeviceServiceStore {
  const table = new JsonTable<DeviceService>(db, 'device_service', 'device service', []);
  return { ...entityStore(table), list: async (q) => table.list(page(q)) };
}

export function sqliteDeviceProfileStore(db: Database): DeviceProfileStore {
  const columns: IndexedColumn<DeviceProfile>[] = [
    { column: 'manufacturer', of: (p) => p.manufacturer ?? '' },
    { column: 'model', of: (p) => p.model ?? '' },
  ];
  const table = new JsonTable<DeviceProfile>(db, 'device_profile', 'device profile', columns);
  return {
    ...entityStore(table),
    list: async (q: DeviceProfileFilter) => table.list({ ...page(q), where: { manufacturer: q.manufacturer, model: q.model } }),
  };
}

export function sqliteDeviceStore(db: Database): DeviceStore {
  const columns: IndexedColumn<Device>[] = [
    { column: 'service_name', of: (d) => d.serviceName },
    { column: 'profile_name', of: (d) => d.profileName },
    { column: 'parent', of: (d) => d.parent ?? '' },
  ];
  const table = new JsonTable<Device>(db, 'device', 'device', columns);
  const where = (q: Omit<DeviceFilter, 'offset' | 'limit'>) => ({
    service_name: q.serviceName,
    profile_name: q.profileName,
    parent: q.parent,
  });
  return {
    ...entityStore(table),
    list: async (q) => table.list({ ...page(q), where: where(q) }),
    count: async (q) => table.count({ labels: q.labels, where: where(q) }),
  };
}

export function sqliteProvisionWatcherStore(db: Database): ProvisionWatcherStore {
  const columns: IndexedColumn<ProvisionWatcher>[] = [
    { column: 'service_name', of: (w) => w.serviceName },
    { column: 'profile_name', of: (w) => w.discoveredDevice?.profileName ?? '' },
  ];
  const table = new JsonTable<ProvisionWatcher>(db, 'provision_watcher', 'provision watcher', columns);
  const where = (q: Omit<ProvisionWatcherFilter, 'offset' | 'limit'>) => ({
    service_name: q.serviceName,
    profile_name: q.profileName,
  });
  return {
    ...entityStore(table),
    list: async (q) => table.list({ ...page(q), where: where(q) }),
    count: async (q) => table.count({ labels: q.labels, where: where(q) }),
  };
}

/** Versions of the schema, oldest first (see migrateSqlite): add a step for every change, never edit one. */
export const CORE_METADATA_SCHEMA: SqliteSchema = {
  owner: 'core-metadata',
  migrations: [
    // Version 1: one table per aggregate, as each store's JsonTable creates it (CREATE IF NOT EXISTS).
    (db) => {
      sqliteDeviceServiceStore(db);
      sqliteDeviceProfileStore(db);
      sqliteDeviceStore(db);
      sqliteProvisionWatcherStore(db);
    },
    // Version 2: devices indexed by parent (EdgeX v4 device tree); the table gets the column, filled from each body.
    (db) => {
      sqliteDeviceStore(db);
    },
  ],
};

/**
 * All four stores over one SQLite database (opened with the runtime's openSqlite). Throws, closing `db`, when
 * the file's schema is newer than this code knows.
 */
export function sqliteMetadataStores(db: Database): MetadataStores {
  try {
    migrateSqlite(db, CORE_METADATA_SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    deviceServices: sqliteDeviceServiceStore(db),
    deviceProfiles: sqliteDeviceProfileStore(db),
    devices: sqliteDeviceStore(db),
    provisionWatchers: sqliteProvisionWatcherStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
