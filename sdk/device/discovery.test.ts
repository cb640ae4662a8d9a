import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { EdgeXError, type ProvisionWatcher } from '@edgex-ts/contracts';
import { waitFor } from '../../test/helpers/wait.js';
import { deviceFromDiscovery, matchingWatcher } from './discovery.js';
import { DiscoveryRunner } from './discovery-runner.js';
import { loadProvisionWatchers } from './files.js';

const watcher = (name: string, extra: Partial<ProvisionWatcher> = {}): ProvisionWatcher => ({
  name,
  serviceName: 'svc',
  identifiers: { Address: 'simple[0-9]+', Port: '3[0-9]{2}' },
  blockingIdentifiers: { Port: ['397', '398'] },
  adminState: 'UNLOCKED',
  discoveredDevice: { profileName: 'Simple', adminState: 'UNLOCKED', autoEvents: [{ interval: '15s', sourceName: 'Switch' }], properties: { a: 1 } },
  ...extra,
});

test('a watcher accepts a device whose protocol holds every identifier matching (unanchored, values as text)', () => {
  const w = [watcher('W')];
  assert.equal(matchingWatcher({ name: 'd', protocols: { other: { Address: 'simple01', Port: 300 } } }, w)?.name, 'W');
  assert.equal(matchingWatcher({ name: 'd', protocols: { other: { Address: 'my-simple7-x', Port: '399' } } }, w)?.name, 'W', 'unanchored like Go MatchString');
  assert.equal(matchingWatcher({ name: 'd', protocols: { other: { Address: 'simple01' } } }, w), undefined, 'Port is missing');
  assert.equal(
    matchingWatcher({ name: 'd', protocols: { a: { Address: 'simple01' }, b: { Port: 300 } } }, w),
    undefined,
    'identifiers must be in one protocol',
  );
  assert.equal(matchingWatcher({ name: 'd', protocols: { other: { Address: 'complex', Port: 300 } } }, w), undefined);
});

test('blocking identifiers reject; LOCKED watchers are not used; the first accepting watcher by name wins', () => {
  assert.equal(matchingWatcher({ name: 'd', protocols: { other: { Address: 'simple01', Port: 397 } } }, [watcher('W')]), undefined);
  const open = { name: 'd', protocols: { other: { Address: 'simple01', Port: 300 } } };
  assert.equal(matchingWatcher(open, [watcher('W', { adminState: 'LOCKED' })]), undefined);
  assert.equal(matchingWatcher(open, [watcher('B'), watcher('A')])?.name, 'A');
});

test('the added device takes the watcher profile, adminState, auto-events and properties (device properties win)', () => {
  const d = deviceFromDiscovery({ name: 'dev', protocols: { other: { Address: 'simple01' } }, labels: ['x'], properties: { b: 2, a: 3 } }, watcher('W'), 'svc');
  assert.deepEqual(d, {
    name: 'dev',
    serviceName: 'svc',
    profileName: 'Simple',
    adminState: 'UNLOCKED',
    operatingState: 'UP',
    protocols: { other: { Address: 'simple01' } },
    labels: ['x'],
    autoEvents: [{ interval: '15s', sourceName: 'Switch' }],
    properties: { a: 3, b: 2 },
  });
});

test('provision watcher files: YAML numbers in blockingIdentifiers become text; errors name file and field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-'));
  try {
    writeFileSync(
      join(dir, 'a.yml'),
      'name: A\nidentifiers: { Address: "x" }\nblockingIdentifiers: { Port: [397] }\nadminState: UNLOCKED\ndiscoveredDevice: { profileName: P, adminState: UNLOCKED }\n',
    );
    const [a] = await loadProvisionWatchers(dir, 'svc');
    assert.equal(a.value.serviceName, 'svc');
    assert.deepEqual(a.value.blockingIdentifiers, { Port: ['397'] });
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ name: 'B', identifiers: { Address: '(' }, adminState: 'UNLOCKED', discoveredDevice: { adminState: 'UNLOCKED' } }),
    );
    await assert.rejects(loadProvisionWatchers(dir, 'svc'), /b\.json: identifiers\.Address: invalid regular expression/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('discovery runs the driver once at a time; 423 when LOCKED, 503 when disabled or unsupported', async () => {
  let locked = false;
  let enabled = true;
  let release!: () => void;
  let calls = 0;
  const driver = { discover: () => new Promise<void>((r) => ((release = r), calls++)) } as never;
  const runner = new DiscoveryRunner({ driver, enabled: () => enabled, serviceLocked: () => locked, intervalMs: 0, log: pino({ level: 'silent' }) });
  runner.trigger();
  runner.trigger();
  assert.equal(calls, 1, 'a second request joins the running discovery');
  release();
  await waitFor('discovery finished', () => runner.runs === 1);
  locked = true;
  assert.throws(
    () => runner.trigger(),
    (e: unknown) => e instanceof EdgeXError && e.kind === 'ServiceLocked',
  );
  locked = false;
  enabled = false;
  assert.throws(
    () => runner.trigger(),
    (e: unknown) => e instanceof EdgeXError && e.kind === 'ServiceUnavailable' && /Enabled/.test(e.message),
  );
  const none = new DiscoveryRunner({ driver: {} as never, enabled: () => true, serviceLocked: () => false, intervalMs: 0, log: pino({ level: 'silent' }) });
  assert.throws(() => none.trigger(), /does not support discovery/);
  await runner.stop();
});
