// Retention (EdgeX 3.1 reading-count watermarks) against real stores: SQLite files (same thread and with
// the writer thread) and MongoDB (a real FerretDB). Passes are run directly; the timer is checked through
// the running service.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { waitFor } from '../../../test/helpers/wait.js';
import { loadCoreDataConfig } from './config.js';
import { runDeviceCapsPass, runRetentionPass, startRetention, type DeviceCapsConfig } from './retention.js';
import type { EventStore } from './store/types.js';
import { eventStoreBackends } from './test-support/event-stores.js';
import { makeEvent } from './test-support/events.js';
import { startTestCoreData } from './test-support/start.js';

const silent = pino({ level: 'silent' });
const stores = eventStoreBackends('retention');

const caps = { MaxCap: 100, MinCap: 80 };
const noDeviceCaps: DeviceCapsConfig = { PerDevice: { MaxCap: 0, MinCap: 0 }, Devices: {}, Profiles: {} };
const everything = { offset: 0, limit: 1000 };

/** `count` events of `perEvent` readings each, origins 1000, 2000, … (oldest first), stored in shuffled batches. */
async function fill(store: EventStore, count: number, perEvent = 1): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => makeEvent({ origin: (i + 1) * 1000, resources: perEvent }));
  events.reverse();
  for (let i = 0; i < events.length; i += 50) await store.addEvents(events.slice(i, i + 50));
}

async function origins(store: EventStore, deviceName?: string): Promise<number[]> {
  return (await store.listReadings(deviceName === undefined ? {} : { deviceName }, everything)).map((r) => Number(r.origin));
}

/** `count` one-reading events of a device, origins first, first + step, … */
async function fillDevice(store: EventStore, device: { name: string; profile?: string; count: number; first?: number; step?: number }): Promise<void> {
  const { first = 1000, step = 1000 } = device;
  const events = Array.from({ length: device.count }, (_, i) =>
    makeEvent({ deviceName: device.name, profileName: device.profile ?? 'prof', origin: first + i * step, resources: 1 }),
  );
  for (let i = 0; i < events.length; i += 50) await store.addEvents(events.slice(i, i + 50));
}

/** A noisy device (120 readings, origins 1000…120000) and a quiet one (30 readings spread over the same time). */
async function fillNoisyAndQuiet(store: EventStore): Promise<void> {
  await fillDevice(store, { name: 'noisy', count: 120 });
  await fillDevice(store, { name: 'quiet', count: 30, first: 500, step: 4000 });
}

for (const [name, open] of stores.all) {
  describe(`Retention pass: ${name}`, () => {
    async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('above MaxCap keeps the newest MinCap readings (by origin) and removes the rest, in bounded batches', () =>
      withStore(async (store) => {
        await fill(store, 150);
        const result = await runRetentionPass(store, caps, { batchEvents: 7 });
        assert.equal(result?.eventsRemoved, 70);
        assert.equal(result?.readingsBefore, 150);
        assert.equal(result?.readingsAfter, 80);
        const expected = Array.from({ length: 80 }, (_, i) => (150 - i) * 1000);
        assert.deepEqual(await origins(store), expected);
        assert.equal(await store.countEvents({}), 80);
      }));

    it('removes whole events only, never one holding any of the newest MinCap readings', () =>
      withStore(async (store) => {
        await fill(store, 50, 3); // 150 readings; the 80th newest is in the 27th newest event
        const result = await runRetentionPass(store, caps);
        assert.equal(result?.eventsRemoved, 23);
        assert.equal(await store.countEvents({}), 27);
        assert.equal(await store.countReadings({}), 81);
        assert.equal(Math.min(...(await origins(store))), 24 * 1000);
      }));

    it('ends after the current batch once the service is stopping', () =>
      withStore(async (store) => {
        await fill(store, 150);
        const result = await runRetentionPass(store, caps, { batchEvents: 10, stopped: () => true });
        assert.equal(result?.eventsRemoved, 10);
        assert.equal(Math.min(...(await origins(store))), 11 * 1000);
      }));

    it('below MaxCap removes nothing', () =>
      withStore(async (store) => {
        await fill(store, 99);
        assert.equal(await runRetentionPass(store, caps), undefined);
        assert.equal(await store.countReadings({}), 99);
      }));
  });
}

for (const [name, open] of stores.all) {
  describe(`Per-device retention caps: ${name}`, () => {
    async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('PerDevice trims a noisy device to its newest MinCap readings, in bounded batches, and leaves a quiet one alone', () =>
      withStore(async (store) => {
        await fillNoisyAndQuiet(store);
        const quietBefore = await origins(store, 'quiet');
        const results = await runDeviceCapsPass(store, { ...noDeviceCaps, PerDevice: { MaxCap: 50, MinCap: 40 } }, { batchEvents: 7 });
        assert.deepEqual(
          results.map(({ durationMs: _, ...r }) => r),
          [
            {
              deviceName: 'noisy',
              profileName: 'prof',
              capKey: 'Retention.PerDevice',
              MaxCap: 50,
              MinCap: 40,
              eventsRemoved: 80,
              readingsBefore: 120,
              readingsAfter: 40,
            },
          ],
        );
        assert.equal(typeof results[0].durationMs, 'number');
        assert.deepEqual(
          await origins(store, 'noisy'),
          Array.from({ length: 40 }, (_, i) => (120 - i) * 1000),
        );
        assert.deepEqual(await origins(store, 'quiet'), quietBefore);
        assert.equal(await store.countReadings({}), 70);
      }));

    it("a profile's cap overrides PerDevice and a device's cap overrides its profile's (MaxCap 0: no cap, MinCap 0: keep nothing)", () =>
      withStore(async (store) => {
        await fillDevice(store, { name: 'by-profile', profile: 'chatty', count: 60 });
        await fillDevice(store, { name: 'by-name', profile: 'chatty', count: 60 });
        await fillDevice(store, { name: 'uncapped', profile: 'chatty', count: 60 });
        await fillDevice(store, { name: 'by-default', profile: 'plain', count: 60 });
        await fillDevice(store, { name: 'emptied', profile: 'disposable', count: 60 });
        const results = await runDeviceCapsPass(store, {
          PerDevice: { MaxCap: 50, MinCap: 40 },
          Profiles: { chatty: { MaxCap: 30, MinCap: 20 }, disposable: { MaxCap: 10, MinCap: 0 } },
          Devices: { 'by-name': { MaxCap: 55, MinCap: 45 }, uncapped: { MaxCap: 0, MinCap: 0 } },
        });
        const byDevice = new Map(results.map((r) => [r.deviceName, [r.capKey, r.readingsAfter]]));
        assert.deepEqual(
          byDevice,
          new Map([
            ['by-profile', ['Retention.Profiles.chatty', 20]],
            ['by-name', ['Retention.Devices.by-name', 45]],
            ['by-default', ['Retention.PerDevice', 40]],
            ['emptied', ['Retention.Profiles.disposable', 0]],
          ]),
        );
        assert.equal(await store.countReadings({ deviceName: 'uncapped' }), 60);
        assert.equal(await store.countReadings({ deviceName: 'by-name' }), 45);
        assert.equal(await store.countEvents({ deviceName: 'emptied' }), 0);
      }));

    it('below its MaxCap a device is untouched, and without device caps nothing is even counted', () =>
      withStore(async (store) => {
        await fillNoisyAndQuiet(store);
        assert.deepEqual(await runDeviceCapsPass(store, { ...noDeviceCaps, PerDevice: { MaxCap: 121, MinCap: 40 } }), []);
        assert.deepEqual(await runDeviceCapsPass(store, noDeviceCaps), []);
        assert.equal(await store.countReadings({}), 150);
      }));
  });
}

describe('Retention timer', () => {
  it('is not started when Retention.Enabled is false', async () => {
    const store = await stores.sqlite();
    try {
      const retention = { Enabled: false, Interval: '1ms', ...caps, ...noDeviceCaps };
      assert.equal(startRetention({ store, retention, log: silent }), undefined);
    } finally {
      await store.close();
    }
  });

  it('runs passes every Interval, logs and counts what it removed, and ends with stop()', async () => {
    const store = await stores.sqlite();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let removed = 0;
    await fill(store, 150);
    const timer = startRetention({
      store,
      retention: { Enabled: true, Interval: '5ms', ...caps, ...noDeviceCaps },
      log,
      onRemoved: (r) => (removed += r.eventsRemoved),
    });
    try {
      await waitFor('a retention pass', async () => (await store.countReadings({})) === 80);
      await waitFor('the pass to be reported', () => removed === 70);
      const reported = lines.map((l) => JSON.parse(l) as { msg: string; eventsRemoved?: number; durationMs?: number }).find((l) => l.eventsRemoved);
      assert.ok(reported);
      assert.equal(reported.eventsRemoved, 70);
      assert.equal(typeof reported.durationMs, 'number');
      assert.match(reported.msg, /Retention removed 70 events: 150 readings down to 80/);
    } finally {
      await timer!.stop();
      await store.close(); // a pass after stop() would fail on the closed database
    }
  });

  it('caps a noisy device before the global cap, so a quiet device keeps everything, and logs the device', async () => {
    const store = await stores.sqlite();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let removed = 0;
    await fillNoisyAndQuiet(store); // 150 readings: the global cap alone would take the quiet device's oldest too
    const quietBefore = await origins(store, 'quiet');
    const retention = { Enabled: true, Interval: '5ms', ...caps, ...noDeviceCaps, PerDevice: { MaxCap: 50, MinCap: 40 } };
    const timer = startRetention({ store, retention, log, onRemoved: (r) => (removed += r.eventsRemoved) });
    try {
      await waitFor('the pass to be reported', () => removed === 80);
      assert.equal(await store.countReadings({ deviceName: 'noisy' }), 40);
      assert.deepEqual(await origins(store, 'quiet'), quietBefore);
      const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.ok(
        messages.some((m) => /^Retention removed 80 events of device noisy: 120 readings down to 40 \(Retention\.PerDevice: MaxCap 50, MinCap 40\)/.test(m)),
        messages.join('\n'),
      );
      assert.ok(messages.some((m) => m.includes('each device from 50 down to 40')));
    } finally {
      await timer!.stop();
      await store.close();
    }
  });

  it('is wired into core-data: a running service trims its store, and stops cleanly', async () => {
    const svc = await startTestCoreData({ overrides: { Retention: { Enabled: true, Interval: '5ms', ...caps } } });
    try {
      for (let i = 1; i <= 150; i++) await svc.domain.addEvent(makeEvent({ origin: i * 1000 }), { transport: 'rest' });
      await waitFor('core-data retention', async () => (await svc.domain.countReadings({})) <= 100);
      const { readings } = await svc.domain.listReadings({}, { offset: 0, limit: 200 });
      // Events keep arriving during passes: whatever remains is the newest, down to at least MinCap.
      assert.ok(readings.length >= 80);
      assert.equal(Number(readings.at(-1)!.origin), (150 - readings.length + 1) * 1000);
    } finally {
      await svc.stop();
    }
  });
});

describe('Retention configuration', () => {
  const load = (Retention: object) => () => loadCoreDataConfig({ argv: [], env: {}, overrides: { Retention } });

  it('defaults to EdgeX 3.1: disabled, 30s, 10000 / 8000, and no device caps', () => {
    assert.deepEqual(loadCoreDataConfig({ argv: [], env: {} }).Retention, {
      Enabled: false,
      Interval: '30s',
      MaxCap: 10000,
      MinCap: 8000,
      ...noDeviceCaps,
    });
  });

  it('reads device caps from overrides and the environment', () => {
    const config = loadCoreDataConfig({
      argv: [],
      env: { RETENTION_PERDEVICE_MAXCAP: '500', RETENTION_PERDEVICE_MINCAP: '400' },
      overrides: { Retention: { Devices: { 'pump-1': { MaxCap: 10, MinCap: 5 } }, Profiles: { Thermostat: { MaxCap: 20, MinCap: 0 } } } },
    });
    assert.deepEqual(config.Retention.PerDevice, { MaxCap: 500, MinCap: 400 });
    assert.deepEqual(config.Retention.Devices, { 'pump-1': { MaxCap: 10, MinCap: 5 } });
    assert.deepEqual(config.Retention.Profiles, { Thermostat: { MaxCap: 20, MinCap: 0 } });
  });

  it('refuses bad values, naming the key', () => {
    assert.throws(load({ Interval: 'often' }), /Retention\.Interval/);
    assert.throws(load({ Interval: '0s' }), /Retention\.Interval/);
    assert.throws(load({ MaxCap: 0 }), /Retention\.MaxCap/);
    assert.throws(load({ MaxCap: 1.5 }), /Retention\.MaxCap/);
    assert.throws(load({ MinCap: 0 }), /Retention\.MinCap/);
    assert.throws(load({ MaxCap: 100, MinCap: 100 }), /Retention\.MinCap.*less than MaxCap/);
    assert.throws(load({ PerDevice: { MaxCap: -1 } }), /Retention\.PerDevice\.MaxCap/);
    assert.throws(load({ PerDevice: { MaxCap: 10, MinCap: 2.5 } }), /Retention\.PerDevice\.MinCap/);
    assert.throws(load({ PerDevice: { MaxCap: 10, MinCap: 11 } }), /Retention\.PerDevice\.MinCap.*at most MaxCap/);
    assert.throws(load({ Devices: { 'pump-1': { MaxCap: 10, MinCap: 20 } } }), /Retention\.Devices\.pump-1\.MinCap.*at most MaxCap/);
    assert.throws(load({ Profiles: { Thermostat: { MaxCap: 'lots' } } }), /Retention\.Profiles\.Thermostat\.MaxCap/);
    assert.throws(load({ Profiles: { Thermostat: { MaxCap: 20 } } }), /Retention\.Profiles\.Thermostat\.MinCap.*required/);
  });
});
