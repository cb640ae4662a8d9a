// One contract for core-metadata's store interfaces (store/types.ts), run against every implementation:
// SQLite (temp file) and MongoDB (a real FerretDB). Same results, same errors, same order and paging.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EdgeXError, type Device, type DeviceProfile, type DeviceService, type ProvisionWatcher } from '@edgex-ts/contracts';
import { openMongo } from '@edgex-ts/mongo';
import { createLogger } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import { startFerretDb, type FerretDb } from '../../../../test/helpers/ferretdb.js';
import { startTcpProxy } from '../../../../test/helpers/tcp-proxy.js';
import { mongoMetadataStores } from './mongo/index.js';
import { sqliteMetadataStores } from './sqlite/index.js';
import type { MetadataStores } from './types.js';

const log = createLogger('core-metadata-store-test', 'ERROR');

/** A place stores live in; open() may be called again after close() (persistence). */
interface Location {
  open(): Promise<MetadataStores>;
}

interface Implementation {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  fresh(): Location;
}

let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;

function sqliteImpl(): Implementation {
  let dir = '';
  return {
    name: 'SQLite',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'md-store-contract-'));
    },
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
    fresh() {
      const path = join(dir, `${uid('db')}.db`);
      return { open: async () => sqliteMetadataStores(openSqlite(path)) };
    },
  };
}

function mongoImpl(): Implementation & { ferret(): FerretDb } {
  let ferret: FerretDb | undefined;
  return {
    name: 'MongoDB (FerretDB)',
    ferret: () => ferret!,
    // No FerretDB → startFerretDb throws naming the install command: the suite fails, it does not pass empty.
    setUp: async () => {
      ferret = await startFerretDb();
    },
    tearDown: async () => ferret?.stop(),
    fresh() {
      const dbName = uid('md').replace(/-/g, '_');
      return { open: async () => mongoMetadataStores(await openMongo(ferret!.url, dbName, log, { timeoutMs: 10_000 })) };
    },
  };
}

// ---- fixtures: minimal DTOs (stores hold no rules beyond uniqueness) ----

const service = (name: string, extra: Partial<DeviceService> = {}): DeviceService => ({
  id: uid('id'),
  name,
  baseAddress: 'http://x:1',
  adminState: 'UNLOCKED',
  labels: [],
  created: 1000,
  modified: 1000,
  ...extra,
});

const profile = (name: string, manufacturer: string, model: string, extra: Partial<DeviceProfile> = {}): DeviceProfile => ({
  id: uid('id'),
  name,
  manufacturer,
  model,
  labels: [],
  deviceResources: [],
  deviceCommands: [],
  created: 1000,
  ...extra,
});

const device = (name: string, serviceName: string, profileName: string, extra: Partial<Device> = {}): Device => ({
  id: uid('id'),
  name,
  serviceName,
  profileName,
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  labels: [],
  protocols: { other: { Address: 'x' } },
  created: 1000,
  ...extra,
});

const watcher = (name: string, serviceName: string, profileName: string, extra: Partial<ProvisionWatcher> = {}): ProvisionWatcher =>
  ({
    id: uid('id'),
    name,
    serviceName,
    labels: [],
    identifiers: { Address: '.*' },
    adminState: 'UNLOCKED',
    discoveredDevice: { profileName, adminState: 'UNLOCKED', protocols: {} },
    created: 1000,
    ...extra,
  }) as ProvisionWatcher;

const names = (items: { name: string }[]) => items.map((i) => i.name);

function isEdgeX(kind: string, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof EdgeXError, `expected EdgeXError ${kind}, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

function storeContract(impl: Implementation): void {
  describe(`metadata stores contract: ${impl.name}`, () => {
    let stores: MetadataStores;
    let location: Location;
    before(() => impl.setUp());
    after(() => impl.tearDown());

    const fresh = async () => {
      await stores?.close();
      location = impl.fresh();
      stores = await location.open();
      return stores;
    };
    after(() => stores?.close());

    test('add, read by name and id, update, delete', async () => {
      const s = await fresh();
      const ds = service('svc-a', { labels: ['x'], description: 'first' });
      await s.deviceServices.add(ds);
      assert.deepEqual(await s.deviceServices.byName('svc-a'), ds);
      assert.deepEqual(await s.deviceServices.byId(ds.id!), ds);
      assert.equal(await s.deviceServices.byName('nope'), undefined);
      assert.equal(await s.deviceServices.byId('nope'), undefined);

      const renamed = { ...ds, name: 'svc-b', description: 'second', modified: 2000 };
      assert.equal(await s.deviceServices.update(renamed), true);
      assert.equal(await s.deviceServices.byName('svc-a'), undefined);
      assert.deepEqual(await s.deviceServices.byName('svc-b'), renamed);
      assert.equal(await s.deviceServices.update(service('ghost')), false);

      assert.equal(await s.deviceServices.deleteByName('svc-b'), true);
      assert.equal(await s.deviceServices.deleteByName('svc-b'), false);
      assert.equal(await s.deviceServices.byId(ds.id!), undefined);
    });

    test('DTOs come back exactly, nested maps with any key included', async () => {
      const s = await fresh();
      await s.deviceServices.add(service('svc'));
      const d = device('D.1', 'svc', 'p', {
        labels: ['a', 'b'],
        protocols: { 'modbus.tcp': { Address: '10.0.0.1', $port: '502' }, '': { x: '' } },
        properties: { nested: { deep: [1, 'two', { three: 3.5 }], 'a.b': null } },
        tags: { 'k.e.y': 'v' },
        autoEvents: [{ interval: '1s', onChange: false, sourceName: 'Int8' }],
        created: 1_700_000_000_123,
      });
      await s.devices.add(d);
      assert.deepEqual(await s.devices.byName('D.1'), d);
    });

    test('names and ids are unique: DuplicateName (409) naming the name or id', async () => {
      const s = await fresh();
      const first = profile('P', 'm', 'x');
      await s.deviceProfiles.add(first);
      await assert.rejects(s.deviceProfiles.add(profile('P', 'm', 'y')), isEdgeX('DuplicateName', /^device profile name P already exists$/));
      await assert.rejects(
        s.deviceProfiles.add(profile('Q', 'm', 'y', { id: first.id })),
        isEdgeX('DuplicateName', new RegExp(`^device profile id ${first.id} already exists$`)),
      );
      const other = profile('Q', 'm', 'y');
      await s.deviceProfiles.add(other);
      await assert.rejects(s.deviceProfiles.update({ ...other, name: 'P' }), isEdgeX('DuplicateName', /^device profile name P already exists$/));
      assert.deepEqual(await s.deviceProfiles.byName('Q'), other);
      assert.equal((await s.deviceProfiles.list({ offset: 0, limit: -1 })).totalCount, 2);
      // The same name may be used by different aggregates.
      await s.deviceServices.add(service('P'));
      await s.devices.add(device('P', 'P', 'P'));
      await s.provisionWatchers.add(watcher('P', 'P', 'P'));
      await assert.rejects(s.devices.add(device('P', 'P', 'P')), isEdgeX('DuplicateName', /^device name P already exists$/));
      await assert.rejects(s.provisionWatchers.add(watcher('P', 'P', 'P')), isEdgeX('DuplicateName', /^provision watcher name P already exists$/));
      await assert.rejects(s.deviceServices.add(service('P')), isEdgeX('DuplicateName', /^device service name P already exists$/));
    });

    test('profiles by manufacturer, model, both, and labels', async () => {
      const s = await fresh();
      await s.deviceProfiles.add(profile('p1', 'IOTech', 'V1', { labels: ['a'], created: 1 }));
      await s.deviceProfiles.add(profile('p2', 'IOTech', 'V2', { labels: ['a', 'b'], created: 2 }));
      await s.deviceProfiles.add(profile('p3', 'Acme', 'V1', { labels: ['b'], created: 3 }));
      await s.deviceProfiles.add(profile('p4', undefined as unknown as string, undefined as unknown as string, { created: 4 }));
      const q = (f: object) => s.deviceProfiles.list({ offset: 0, limit: -1, ...f });
      assert.deepEqual(names((await q({ manufacturer: 'IOTech' })).items), ['p1', 'p2']);
      assert.deepEqual(names((await q({ model: 'V1' })).items), ['p1', 'p3']);
      assert.deepEqual(names((await q({ manufacturer: 'IOTech', model: 'V1' })).items), ['p1']);
      assert.deepEqual(names((await q({ manufacturer: 'Nobody' })).items), []);
      assert.deepEqual(names((await q({ labels: ['b'] })).items), ['p2', 'p3']);
      assert.deepEqual(names((await q({ labels: ['a', 'b'] })).items), ['p2']);
      assert.equal((await q({ manufacturer: 'IOTech', labels: ['b'] })).totalCount, 1);
    });

    test('devices and provision watchers by service, profile, labels; counts agree', async () => {
      const s = await fresh();
      let t = 0;
      for (const [n, svc, prof, labels] of [
        ['d1', 's1', 'pA', ['x']],
        ['d2', 's1', 'pB', ['x', 'y']],
        ['d3', 's2', 'pA', []],
        ['d4', 's2', 'pA', ['y']],
      ] as const) {
        await s.devices.add(device(n, svc, prof, { labels: [...labels], created: ++t }));
        await s.provisionWatchers.add(watcher(`w-${n}`, svc, prof, { labels: [...labels], created: t }));
      }
      const dq = (f: object) => s.devices.list({ offset: 0, limit: -1, ...f });
      assert.deepEqual(names((await dq({ serviceName: 's1' })).items), ['d1', 'd2']);
      assert.deepEqual(names((await dq({ profileName: 'pA' })).items), ['d1', 'd3', 'd4']);
      assert.deepEqual(names((await dq({ serviceName: 's2', profileName: 'pA' })).items), ['d3', 'd4']);
      assert.deepEqual(names((await dq({ labels: ['y'] })).items), ['d2', 'd4']);
      assert.deepEqual(names((await dq({ labels: ['x', 'y'] })).items), ['d2']);
      assert.deepEqual(names((await dq({ labels: ['z'] })).items), []);
      assert.equal(await s.devices.count({ serviceName: 's2' }), 2);
      assert.equal(await s.devices.count({ profileName: 'pA' }), 3);
      assert.equal(await s.devices.count({ profileName: 'pZ' }), 0);
      assert.equal(await s.devices.count({}), 4);

      const wq = (f: object) => s.provisionWatchers.list({ offset: 0, limit: -1, ...f });
      assert.deepEqual(names((await wq({ serviceName: 's1' })).items), ['w-d1', 'w-d2']);
      assert.deepEqual(names((await wq({ profileName: 'pA' })).items), ['w-d1', 'w-d3', 'w-d4']);
      assert.deepEqual(names((await wq({ labels: ['x'] })).items), ['w-d1', 'w-d2']);
      assert.equal(await s.provisionWatchers.count({ serviceName: 's2', profileName: 'pA' }), 2);
      assert.equal(await s.provisionWatchers.count({ profileName: 'pB' }), 1);

      // An update moves a device between services and profiles; queries follow.
      const d1 = (await s.devices.byName('d1'))!;
      assert.equal(await s.devices.update({ ...d1, serviceName: 's2', profileName: 'pB' }), true);
      assert.equal(await s.devices.count({ serviceName: 's1' }), 1);
      assert.deepEqual(names((await dq({ profileName: 'pB' })).items), ['d1', 'd2']);
    });

    test("devices by parent (EdgeX v4 device tree): a device's direct children, labels and order as any list", async () => {
      const s = await fresh();
      let t = 0;
      for (const [n, parent, labels] of [
        ['gw', undefined, []],
        ['b', 'gw', ['x']],
        ['a', 'gw', []],
        ['a1', 'a', ['x']],
      ] as const) {
        await s.devices.add(device(n, 'svc', 'p', { labels: [...labels], created: ++t, ...(parent ? { parent } : {}) }));
      }
      const children = async (parent: string, labels?: string[]) =>
        names((await s.devices.list({ offset: 0, limit: -1, parent, ...(labels ? { labels } : {}) })).items);
      assert.deepEqual(await children('gw'), ['b', 'a']);
      assert.deepEqual(await children('gw', ['x']), ['b']);
      assert.deepEqual(await children('a'), ['a1']);
      assert.deepEqual(await children('a1'), []);
      // Moving a device to another parent moves it in the tree.
      const a1 = (await s.devices.byName('a1'))!;
      await s.devices.update({ ...a1, parent: 'gw' });
      assert.deepEqual(await children('gw'), ['b', 'a', 'a1']);
      assert.deepEqual(await children('a'), []);
    });

    test('order is created then name; offset, limit, -1 and 0 as SQLite pages them', async () => {
      const s = await fresh();
      // Inserted out of order, with ties on created broken by name.
      for (const [n, c] of [
        ['e', 5],
        ['b', 2],
        ['a', 2],
        ['d', 4],
        ['c', 3],
        ['f', 6],
      ] as const) {
        await s.deviceServices.add(service(n, { created: c }));
      }
      const page = (offset: number, limit: number) => s.deviceServices.list({ offset, limit });
      assert.deepEqual(names((await page(0, -1)).items), ['a', 'b', 'c', 'd', 'e', 'f']);
      assert.deepEqual(await page(0, -1).then((p) => p.totalCount), 6);
      assert.deepEqual(names((await page(1, 2)).items), ['b', 'c']);
      assert.deepEqual(names((await page(4, 10)).items), ['e', 'f']);
      assert.deepEqual(names((await page(2, -1)).items), ['c', 'd', 'e', 'f']);
      assert.deepEqual(await page(0, 0), { totalCount: 6, items: [] });
      assert.deepEqual(await page(6, 5), { totalCount: 6, items: [] });
      assert.deepEqual(await page(9, 5), { totalCount: 6, items: [] });
      assert.deepEqual(await s.devices.list({ offset: 0, limit: 10 }), { totalCount: 0, items: [] });
    });

    test('everything survives closing and reopening', async () => {
      const s = await fresh();
      const ds = service('svc', { labels: ['l'] });
      const pr = profile('prof', 'M', 'X');
      const dv = device('dev', 'svc', 'prof', { labels: ['l'] });
      const pw = watcher('w', 'svc', 'prof');
      await s.deviceServices.add(ds);
      await s.deviceProfiles.add(pr);
      await s.devices.add(dv);
      await s.provisionWatchers.add(pw);
      await s.close();
      stores = await location.open();
      assert.deepEqual(await stores.deviceServices.byId(ds.id!), ds);
      assert.deepEqual(await stores.deviceProfiles.byName('prof'), pr);
      assert.deepEqual((await stores.devices.list({ offset: 0, limit: -1, labels: ['l'] })).items, [dv]);
      assert.equal(await stores.provisionWatchers.count({ profileName: 'prof' }), 1);
      await assert.rejects(stores.devices.add(device('dev', 'svc', 'prof')), isEdgeX('DuplicateName'));
    });
  });
}

storeContract(sqliteImpl());

const mongo = mongoImpl();
storeContract(mongo);

describe('metadata stores on MongoDB: the server going away', () => {
  let ferret: FerretDb;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(() => ferret?.stop());

  test('each collection carries the indexes its queries use', async () => {
    const dbName = uid('idx').replace(/-/g, '_');
    const handle = await openMongo(ferret.url, dbName, log);
    const stores = await mongoMetadataStores(handle);
    try {
      const indexNames = async (c: string) => (await handle.db.collection(c).listIndexes().toArray()).map((i) => String(i.name)).sort();
      const common = ['_id_', 'created_name', 'labels', 'name_unique'];
      assert.deepEqual(await indexNames('device_service'), common);
      assert.deepEqual(
        await indexNames('device_profile'),
        [...common, 'manufacturer_created_name', 'manufacturer_model_created_name', 'model_created_name'].sort(),
      );
      assert.deepEqual(await indexNames('device'), [...common, 'parent_created_name', 'profileName_created_name', 'serviceName_created_name'].sort());
      assert.deepEqual(await indexNames('provision_watcher'), [...common, 'profileName_created_name', 'serviceName_created_name'].sort());
    } finally {
      await stores.close();
    }
  });

  test('devices stored before the parent field existed get it at open: the device tree finds them', async () => {
    const dbName = uid('fill').replace(/-/g, '_');
    const child = device('child', 'svc', 'p', { parent: 'gateway' });
    const handle = await openMongo(ferret.url, dbName, log);
    // As an earlier release stored it: the indexed fields it knew, without `parent`.
    await handle.db.collection('device').insertOne({
      _id: child.id as never,
      name: child.name,
      created: child.created,
      labels: [],
      serviceName: 'svc',
      profileName: 'p',
      body: JSON.stringify(child),
    });
    const stores = await mongoMetadataStores(handle);
    try {
      assert.deepEqual((await stores.devices.list({ offset: 0, limit: -1, parent: 'gateway' })).items, [child]);
    } finally {
      await stores.close();
    }
  });

  test('a FerretDB restart mid-use: every call succeeds or fails with a clear 503, never a crash; then all works', async () => {
    const stores = await mongoMetadataStores(await openMongo(ferret.url, uid('restart').replace(/-/g, '_'), log, { timeoutMs: 10_000 }));
    try {
      await stores.deviceServices.add(service('svc'));
      const restarting = ferret.restart();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? stores.devices.add(device(`d${i}`, 'svc', 'p', { created: i })) : stores.devices.list({ offset: 0, limit: -1 }),
        ),
      );
      await restarting;
      const unexpected = outcomes.flatMap((o) =>
        o.status === 'rejected' && !(o.reason instanceof EdgeXError && o.reason.kind === 'ServiceUnavailable') ? [String(o.reason)] : [],
      );
      assert.deepEqual(unexpected, [], 'only ServiceUnavailable may fail a call during the restart');
      const accepted = outcomes.flatMap((o, i) => (i % 2 === 0 && o.status === 'fulfilled' ? [`d${i}`] : []));
      // After the restart: every accepted device is there, and the store takes new work.
      const stored = names((await stores.devices.list({ offset: 0, limit: -1, serviceName: 'svc' })).items);
      for (const n of accepted) assert.ok(stored.includes(n), `accepted device ${n} is missing after the restart: ${stored.join(',')}`);
      await stores.devices.add(device('after', 'svc', 'p'));
      assert.equal((await stores.devices.byName('after'))?.name, 'after');
      assert.equal(await stores.deviceServices.byName('svc').then((d) => d?.name), 'svc');
    } finally {
      await stores.close();
    }
  });

  test('the server unreachable beyond Database.Timeout: ServiceUnavailable naming the operation and URL; fine once back', async () => {
    const proxy = await startTcpProxy(ferret.port);
    const stores = await mongoMetadataStores(await openMongo(`mongodb://127.0.0.1:${proxy.port}/`, uid('cut').replace(/-/g, '_'), log, { timeoutMs: 1000 }));
    try {
      await stores.deviceServices.add(service('svc'));
      proxy.cut();
      await assert.rejects(
        stores.devices.add(device('lost', 'svc', 'p')),
        isEdgeX('ServiceUnavailable', new RegExp(`^add device lost .*database mongodb://127\\.0\\.0\\.1:${proxy.port}/ is unavailable`)),
      );
      await assert.rejects(stores.deviceServices.byName('svc'), isEdgeX('ServiceUnavailable', /^read device service svc/));
      await assert.rejects(stores.devices.list({ offset: 0, limit: 10 }), isEdgeX('ServiceUnavailable', /^count devices/));
      proxy.restore();
      assert.equal((await stores.deviceServices.byName('svc'))?.name, 'svc');
      await stores.devices.add(device('back', 'svc', 'p'));
      assert.deepEqual(names((await stores.devices.list({ offset: 0, limit: -1 })).items), ['back']);
    } finally {
      await stores.close();
      await proxy.close();
    }
  });
});
