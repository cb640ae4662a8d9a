import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { DeviceSchema, parseDto, type Device, type DeviceProfile } from '@edgex-ts/contracts';
import { AutoEventManager } from './autoevents.js';
import type { ProtocolDriver } from './driver.js';
import { DeviceHealth } from './health.js';
import { DeviceLifecycle } from './lifecycle.js';
import { waitFor } from '../../test/helpers/wait.js';

const log = pino({ level: 'silent' });
const PROFILE = { name: 'Simple-Device', deviceResources: [], deviceCommands: [] } as unknown as DeviceProfile;

function lifecycle(profileAnswered: Promise<void> = Promise.resolve()) {
  const calls: string[] = [];
  const devices = new Map<string, Device>();
  const driver = {
    addDevice: async (name: string) => void calls.push(`add ${name}`),
    updateDevice: async (name: string) => void calls.push(`update ${name}`),
    removeDevice: async (name: string) => void calls.push(`remove ${name}`),
  } as unknown as ProtocolDriver;
  const fetched: string[] = [];
  const autoEvents = new AutoEventManager({ read: async () => undefined, deliver: () => {}, log });
  const health = new DeviceHealth({ allowedFails: 0, probeIntervalMs: 1000, stateOf: () => 'UP', setState: () => {}, probe: async () => {}, log });
  const lc = new DeviceLifecycle({
    serviceName: 'device-simple',
    driver,
    devices,
    profiles: new Map(),
    autoEvents,
    health,
    fetchProfile: async (name) => {
      fetched.push(name);
      await profileAnswered;
      return name === PROFILE.name ? PROFILE : undefined;
    },
    log,
  });
  return { lc, calls, devices, fetched, autoEvents };
}

/** A device as EdgeX v4's core-metadata sends it in a system event: without profileName while it awaits a profile scan. */
const goDevice = (profileName?: string) =>
  parseDto(
    DeviceSchema,
    {
      name: 'ProfileScan-Device',
      adminState: 'UNLOCKED',
      operatingState: 'UP',
      serviceName: 'device-simple',
      protocols: { other: {} },
      properties: {},
      ...(profileName ? { profileName } : {}),
    },
    'device',
  );

test('a device without a profile (EdgeX v4, awaiting a profile scan) is not taken, and core-metadata is not asked for profile ""', async () => {
  const { lc, calls, devices, fetched } = lifecycle();
  await lc.add(goDevice());
  assert.deepEqual([calls, [...devices.keys()], fetched], [[], [], []]);

  // Once it has a profile it is taken; should it lose it again, it is let go.
  await lc.update(goDevice('Simple-Device'));
  assert.deepEqual(calls, ['add ProfileScan-Device']);
  await lc.update(goDevice());
  assert.deepEqual(calls, ['add ProfileScan-Device', 'remove ProfileScan-Device']);
  assert.equal(devices.size, 0);
  assert.deepEqual(fetched, ['Simple-Device']);
});

test("close() waits for the change being applied, which stops at core-metadata's late answer; later changes are dropped", async () => {
  let answerProfile!: () => void;
  const { lc, calls, devices, fetched, autoEvents } = lifecycle(new Promise((resolve) => (answerProfile = resolve)));
  const added = lc.add({ ...goDevice('Simple-Device'), autoEvents: [{ sourceName: 'X', interval: '1h' }] });
  await waitFor('the profile asked of core-metadata', () => fetched.length === 1);
  let closed = false;
  const closing = lc.close().then(() => (closed = true));
  const late = lc.add(goDevice('Simple-Device')); // asked for after close: dropped
  await Promise.resolve();
  assert.equal(closed, false, 'close() waits for the change under way');
  answerProfile();
  await Promise.all([added, closing, late]);
  assert.deepEqual([calls, [...devices.keys()], autoEvents.count], [[], [], 0]);
});
