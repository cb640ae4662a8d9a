import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { waitFor } from '../../test/helpers/wait.js';
import { DeviceHealth } from './health.js';

function setup(allowedFails: number) {
  const states = new Map<string, string>([['d', 'UP']]);
  const changes: string[] = [];
  let deviceWorks = false;
  const health: DeviceHealth = new DeviceHealth({
    log: pino({ level: 'silent' }),
    allowedFails,
    probeIntervalMs: 20,
    stateOf: (n) => states.get(n),
    setState: (n, s) => {
      states.set(n, s);
      changes.push(s);
    },
    probe: async (n) => (deviceWorks ? health.recordSuccess(n) : health.recordFailure(n)),
  });
  return { health, states, changes, fix: () => (deviceWorks = true) };
}

test('DOWN after AllowedFails consecutive failures, probed back UP', async () => {
  const { health, states, changes, fix } = setup(3);
  health.recordFailure('d');
  health.recordFailure('d');
  health.recordSuccess('d');
  health.recordFailure('d');
  health.recordFailure('d');
  assert.equal(states.get('d'), 'UP', 'a success resets the count');
  health.recordFailure('d');
  assert.equal(states.get('d'), 'DOWN');
  fix();
  await waitFor('probe brings the device UP', () => states.get('d') === 'UP');
  assert.deepEqual(changes, ['DOWN', 'UP']);
  health.close();
});

test('a failed assertion sets DOWN at once; AllowedFails 0 never does otherwise', () => {
  const { health, states } = setup(0);
  for (let i = 0; i < 10; i++) health.recordFailure('d');
  assert.equal(states.get('d'), 'UP');
  health.recordFailure('d', true);
  assert.equal(states.get('d'), 'DOWN');
  health.close();
});
