// One EventStore contract, run against every implementation: SQLite (same thread), SQLite with its writer
// thread, and MongoDB (a real FerretDB). Each test gets a fresh, empty store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventStoreBackends } from '../test-support/event-stores.js';
import { makeEvent } from '../test-support/events.js';
import type { EventRecord, EventStore } from './types.js';

const implementations = eventStoreBackends('contract').all;

const all = { offset: 0, limit: 100 };
const stripped = (e: EventRecord) => ({ apiVersion: 'v3', ...e });

for (const [name, open] of implementations) {
  describe(`EventStore contract: ${name}`, () => {
    async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('stores events, answers queries newest first, counts and deletes', () =>
      withStore(async (store) => {
        const e1 = makeEvent({ deviceName: 'd1', origin: 1000, resources: ['t', 'h'] });
        const e2 = makeEvent({ deviceName: 'd1', origin: 2000, resources: ['t'] });
        const e3 = makeEvent({ deviceName: 'd2', origin: 3000, resources: ['t', 'p', 'h'] });
        assert.deepEqual(await store.addEvents([e1, e2, e3, { ...e1 }]), ['stored', 'stored', 'stored', 'duplicate']);

        assert.deepEqual(await store.getEvent(e1.id), stripped(e1));
        assert.equal(await store.getEvent('6f1c5a4e-0000-4000-8000-000000000000'), undefined);
        assert.deepEqual(
          (await store.listEvents({}, all)).map((e) => e.origin),
          [3000, 2000, 1000],
        );
        assert.deepEqual(await store.listEvents({}, all), [stripped(e3), stripped(e2), stripped(e1)]);
        assert.deepEqual(
          (await store.listEvents({ deviceName: 'd1' }, { offset: 1, limit: 10 })).map((e) => e.id),
          [e1.id],
        );
        assert.equal((await store.listEvents({ deviceName: 'nope' }, all)).length, 0);
        assert.deepEqual(
          (await store.listEvents({ start: 1500, end: 3000 }, all)).map((e) => e.id),
          [e3.id, e2.id],
        );
        assert.deepEqual(
          (await store.listEvents({ deviceName: 'd1', start: 1000, end: 1999 }, all)).map((e) => e.id),
          [e1.id],
        );
        assert.equal(await store.countEvents({}), 3);
        assert.equal(await store.countEvents({ deviceName: 'd2' }), 1);
        assert.equal(await store.countEvents({ deviceName: 'nope' }), 0);
        assert.equal(await store.countEvents({ start: 2000, end: 2000 }), 1);
        assert.equal(await store.countReadings({}), 6);
        assert.equal(await store.countReadings({ deviceName: 'd1' }), 3);
        assert.equal(await store.countReadings({ resourceNames: ['t'] }), 3);
        assert.equal(await store.countReadings({ resourceNames: ['nope'] }), 0);
        assert.equal(await store.countReadings({ deviceName: 'd2', resourceNames: ['p', 'h'] }), 2);
        assert.equal(await store.countReadings({ start: 1500 }), 4);
        const rs = await store.listReadings({ resourceNames: ['h'] }, all);
        assert.deepEqual(
          rs.map((r) => [r.deviceName, r.origin]),
          [
            ['d2', 3000],
            ['d1', 1000],
          ],
        );
        assert.deepEqual(rs[1], e1.readings[1]);

        assert.equal(await store.deleteEvent(e2.id), true);
        assert.equal(await store.deleteEvent(e2.id), false);
        assert.equal(await store.getEvent(e2.id), undefined);
        assert.equal(await store.countReadings({ deviceName: 'd1' }), 2);
        assert.equal(await store.deleteEventsByDevice('d2'), 1);
        assert.equal(await store.deleteEventsByDevice('nope'), 0);
        assert.equal(await store.countReadings({}), 2);
        assert.equal(await store.deleteEventsOlderThan(1000), 0);
        assert.equal(await store.deleteEventsOlderThan(1001), 1);
        assert.equal(await store.countEvents({}), 0);
        assert.equal(await store.countReadings({}), 0);
      }));

    it('keeps binary, object, tags and units values exactly, and integers beyond 2^53 in origins, tags and objects', () =>
      withStore(async (store) => {
        const ev = makeEvent({ deviceName: 'x', origin: 1796657960933599538n, resources: ['a'] });
        ev.tags = { site: 'lab', n: 3, 'a.b': { $c: 1 }, big: 18446744073709551615n };
        const { value: _v, units: _u, ...base } = ev.readings[0];
        ev.readings = [
          { ...base, valueType: 'Binary', binaryValue: Buffer.from([0, 1, 254, 255]).toString('base64'), mediaType: 'application/octet-stream' },
          {
            ...base,
            id: 'c3f7b6c4-5b1e-4f5a-9d7e-2a4b6c8d0e1f',
            resourceName: 'o',
            valueType: 'Object',
            objectValue: { a: [1, 'x'], 'k.$': null, u64: 18446744073709551615n },
            tags: { q: true },
          },
          { ...base, id: 'c3f7b6c4-5b1e-4f5a-9d7e-2a4b6c8d0e20', resourceName: 's', valueType: 'String', value: '', units: 'm/s' },
          { ...base, id: 'c3f7b6c4-5b1e-4f5a-9d7e-2a4b6c8d0e21', resourceName: 'f', valueType: 'Float64', value: '2.150000e+01' },
        ];
        assert.deepEqual(await store.addEvents([ev]), ['stored']);
        assert.deepEqual(await store.getEvent(ev.id), stripped(ev));
        const byName = new Map((await store.listReadings({ deviceName: 'x' }, all)).map((r) => [r.resourceName, r]));
        for (const r of ev.readings) assert.deepEqual(byName.get(r.resourceName), r);
      }));

    it('selects and deletes by exact nanosecond origins beyond 2^53', () =>
      withStore(async (store) => {
        // Adjacent nanoseconds that one double cannot tell apart (doubles are 256 ns apart here).
        const origins = [1796657960933599538n, 1796657960933599539n, 1796657960933599540n];
        const events = origins.map((origin) => makeEvent({ deviceName: 'ns', origin, resources: 1 }));
        await store.addEvents(events);
        assert.deepEqual(
          (await store.listEvents({}, all)).map((e) => e.origin),
          [...origins].reverse(),
        );
        assert.deepEqual(
          (await store.listReadings({ start: origins[1], end: origins[1] }, all)).map((r) => r.origin),
          [origins[1]],
        );
        assert.equal(await store.countEvents({ start: origins[1], end: origins[2] }), 2);
        assert.equal(await store.deleteEventsOlderThan(origins[2]), 2);
        assert.deepEqual(
          (await store.listEvents({}, all)).map((e) => e.id),
          [events[2].id],
        );
      }));

    it('keeps the order of many readings in an event', () =>
      withStore(async (store) => {
        const ev = makeEvent({ deviceName: 'many', origin: 5, resources: 25 });
        await store.addEvents([ev]);
        assert.deepEqual(
          (await store.getEvent(ev.id))?.readings.map((r) => r.resourceName),
          ev.readings.map((r) => r.resourceName),
        );
        assert.deepEqual((await store.listEvents({ deviceName: 'many' }, all))[0].readings, ev.readings);
      }));

    it('reports duplicates per event: within a batch, against stored events, and for a whole batch sent again', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.addEvents([]), []);
        const a = makeEvent({ deviceName: 'd', origin: 10, resources: 2 });
        const b = makeEvent({ deviceName: 'd', origin: 20, resources: 2 });
        const c = makeEvent({ deviceName: 'd', origin: 30, resources: 2 });
        assert.deepEqual(await store.addEvents([a, b, { ...b, origin: 21 }]), ['stored', 'stored', 'duplicate']);
        assert.deepEqual(await store.addEvents([c, a, b]), ['stored', 'duplicate', 'duplicate']);
        assert.deepEqual(await store.addEvents([a, b, c]), ['duplicate', 'duplicate', 'duplicate']);
        assert.equal(await store.countEvents({}), 3);
        assert.equal(await store.countReadings({}), 6);
        assert.equal((await store.getEvent(b.id))?.origin, 20);
      }));

    it('pages readings newest first across device, resource and time filters', () =>
      withStore(async (store) => {
        const events = Array.from({ length: 30 }, (_, i) => makeEvent({ deviceName: `dev${i % 3}`, origin: (i + 1) * 100, resources: ['temp', 'hum'] }));
        assert.ok((await store.addEvents(events)).every((o) => o === 'stored'));
        const temps = await store.listReadings({ resourceNames: ['temp'] }, { offset: 5, limit: 4 });
        assert.deepEqual(
          temps.map((r) => r.origin),
          [2500, 2400, 2300, 2200],
        );
        const devHum = await store.listReadings({ deviceName: 'dev1', resourceNames: ['hum'], start: 500, end: 2000 }, all);
        assert.deepEqual(
          devHum.map((r) => r.origin),
          [2000, 1700, 1400, 1100, 800, 500],
        );
        assert.ok(devHum.every((r) => r.deviceName === 'dev1' && r.resourceName === 'hum'));
        assert.equal(await store.countReadings({ deviceName: 'dev1', resourceNames: ['hum'], start: 500, end: 2000 }), 6);
        assert.equal(await store.countReadings({ deviceName: 'dev1', resourceNames: ['hum', 'temp'] }), 20);
        assert.equal(await store.countReadings({ deviceName: 'dev1', resourceNames: [] }), 20);
        assert.equal((await store.listReadings({}, { offset: 60, limit: 10 })).length, 0);
        assert.deepEqual(
          (await store.listReadings({ end: 150 }, all)).map((r) => r.origin),
          [100, 100],
        );
        assert.deepEqual(
          (await store.listEvents({ deviceName: 'dev2' }, { offset: 8, limit: 5 })).map((e) => e.origin),
          [600, 300],
        );
        assert.equal(await store.countEvents({ deviceName: 'dev2', start: 301 }), 9);
      }));

    it('purges by age in bulk', () =>
      withStore(async (store) => {
        const events = Array.from({ length: 1500 }, (_, i) => makeEvent({ deviceName: `d${i % 7}`, origin: i + 1, resources: 1 }));
        await store.addEvents(events);
        assert.equal(await store.deleteEventsOlderThan(1201), 1200);
        assert.equal(await store.countEvents({}), 300);
        assert.equal(await store.countReadings({}), 300);
        assert.equal((await store.listReadings({}, { offset: 299, limit: 10 }))[0].origin, 1201);
      }));

    it('purges by age at most `limit` events, the oldest first, keeping per-device counts right', () =>
      withStore(async (store) => {
        // Stored newest first, so the oldest are not simply the first inserted.
        const events = Array.from({ length: 1500 }, (_, i) => makeEvent({ deviceName: `d${i % 7}`, origin: 1500 - i, resources: 2 }));
        await store.addEvents(events);
        assert.equal(await store.deleteEventsOlderThan(1201, 1100), 1100);
        assert.equal((await store.listEvents({}, { offset: 399, limit: 10 }))[0].origin, 1101);
        assert.equal(await store.countEvents({}), 400);
        assert.equal(await store.countReadings({}), 800);
        assert.equal(await store.countEvents({ deviceName: 'd0' }), (await store.listEvents({ deviceName: 'd0' }, { offset: 0, limit: 1000 })).length);
        assert.equal(await store.deleteEventsOlderThan(1201, 1100), 100);
        assert.equal(await store.deleteEventsOlderThan(1201, 1100), 0);
        assert.equal(await store.countReadings({}), 600);
      }));

    it("purges one device's events by age, at most `limit`, the oldest first, leaving other devices alone", () =>
      withStore(async (store) => {
        // d0 and d1 interleaved by origin, stored newest first, two readings each.
        const events = Array.from({ length: 600 }, (_, i) => makeEvent({ deviceName: `d${i % 2}`, origin: 600 - i, resources: 2 }));
        await store.addEvents(events);
        assert.equal(await store.deleteDeviceEventsOlderThan('d0', 401, 150), 150);
        assert.deepEqual(
          (await store.listEvents({ deviceName: 'd0' }, { offset: 148, limit: 3 })).map((e) => e.origin),
          [304, 302],
        );
        assert.equal(await store.countEvents({ deviceName: 'd0' }), 150);
        assert.equal(await store.countReadings({ deviceName: 'd0' }), 300);
        assert.equal(await store.deleteDeviceEventsOlderThan('d0', 401), 50);
        assert.equal(await store.deleteDeviceEventsOlderThan('d0', 401, 10), 0);
        assert.equal(await store.deleteDeviceEventsOlderThan('nope', 401, 10), 0);
        assert.equal(await store.countEvents({ deviceName: 'd0' }), 100);
        assert.equal(await store.countReadings({ deviceName: 'd1' }), 600);
        assert.equal(await store.countReadings({}), 800);
        assert.equal((await store.listReadings({ deviceName: 'd0' }, { offset: 199, limit: 10 }))[0].origin, 402);
      }));

    it('lists the reading totals of the devices holding at least so many readings, with the profile of their newest event', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.listDeviceTotals(), []);
        await store.addEvents([
          makeEvent({ deviceName: 'pump', profileName: 'pump-v1', origin: 3000, resources: 2 }),
          makeEvent({ deviceName: 'pump', profileName: 'pump-v2', origin: 4000, resources: 1 }),
          makeEvent({ deviceName: 'pump', profileName: 'pump-v1', origin: 1000, resources: 3 }),
          makeEvent({ deviceName: 'fan', profileName: 'fan', origin: 2000, resources: 1 }),
          makeEvent({ deviceName: 'gone', profileName: 'fan', origin: 2000, resources: 1 }),
        ]);
        await store.deleteEventsByDevice('gone');
        const totals = (await store.listDeviceTotals()).sort((a, b) => a.deviceName.localeCompare(b.deviceName));
        assert.deepEqual(totals, [
          { deviceName: 'fan', profileName: 'fan', readings: 1 },
          { deviceName: 'pump', profileName: 'pump-v2', readings: 6 },
        ]);
        assert.deepEqual(await store.listDeviceTotals(6), [{ deviceName: 'pump', profileName: 'pump-v2', readings: 6 }]);
        assert.deepEqual(await store.listDeviceTotals(7), []);
      }));
  });
}
