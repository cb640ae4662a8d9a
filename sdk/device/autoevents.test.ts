import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { Device, Event } from '@edgex-ts/contracts';
import { waitFor } from '../../test/helpers/wait.js';
import { AutoEventManager } from './autoevents.js';

const device = (adminState: 'LOCKED' | 'UNLOCKED', interval = '20ms'): Device => ({
  name: 'D',
  profileName: 'P',
  serviceName: 's',
  adminState,
  operatingState: 'UP',
  protocols: { other: {} },
  autoEvents: [
    { interval, sourceName: 'A' },
    { interval, sourceName: 'B' },
  ],
});

function manager(fail?: string) {
  const reads: string[] = [];
  const delivered: Event[] = [];
  const m = new AutoEventManager({
    log: pino({ level: 'silent' }),
    read: async (name, source) => {
      reads.push(source);
      if (source === fail) throw new Error('device offline');
      return { id: '00000000-0000-4000-8000-000000000000', deviceName: name, profileName: 'P', sourceName: source, origin: 1, readings: [] };
    },
    deliver: (e) => void delivered.push(e),
  });
  return { m, reads, delivered };
}

test('one schedule per auto-event; the first read is immediate', async () => {
  const { m, delivered } = manager();
  await m.startDevice(device('UNLOCKED', '1h'));
  assert.equal(m.count, 2);
  await waitFor('first reads', () => delivered.length === 2);
  assert.deepEqual(delivered.map((e) => e.sourceName).sort(), ['A', 'B']);
  await m.stopAll();
  assert.equal(m.count, 0);
});

test('LOCKED devices get no auto-events; unlocking (restart) starts them', async () => {
  const { m, reads } = manager();
  await m.startDevice(device('LOCKED'));
  assert.equal(m.count, 0);
  assert.deepEqual(reads, []);
  await m.startDevice(device('UNLOCKED'));
  await waitFor('reads', () => reads.length >= 4);
  await m.startDevice(device('LOCKED'));
  const n = reads.length;
  assert.equal(m.count, 0);
  const t = Date.now();
  await waitFor('time passes', () => Date.now() - t > 60);
  assert.equal(reads.length, n, 'no reads after locking');
});

test('a failing source is logged and retried on the next tick; others keep going', async () => {
  const { m, reads, delivered } = manager('B');
  await m.startDevice(device('UNLOCKED'));
  await waitFor('B tried 3 times', () => reads.filter((s) => s === 'B').length >= 3);
  assert.ok(delivered.every((e) => e.sourceName === 'A') && delivered.length >= 2);
  await m.stopAll();
});

test('once closed (the service stops), a restart asked for later starts nothing', async () => {
  const { m, reads } = manager();
  await m.startDevice(device('UNLOCKED', '1h'));
  await waitFor('first reads', () => reads.length === 2);
  await m.close();
  assert.equal(m.count, 0);
  // e.g. core-metadata's record of the device, answered after stop() began
  await m.startDevice(device('UNLOCKED', '1h'));
  assert.equal(m.count, 0);
  assert.equal(reads.length, 2, 'no read after close');
});
