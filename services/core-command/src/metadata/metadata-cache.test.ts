// The metadata cache over a real core-metadata (no bus here: nothing invalidates but the test and the TTL).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { CoreMetadataClient } from '@edgex-ts/client';
import { EdgeXError } from '@edgex-ts/contracts';
import { StaticRegistry } from '@edgex-ts/runtime';
import { waitFor } from '../../../../test/helpers/wait.js';
import { THERMOSTAT_PROFILE, thermostat } from '../test-support/fixtures.js';
import { CachedMetadata } from './metadata-cache.js';
import { MetadataSource } from './metadata-source.js';

const dir = mkdtempSync(join(tmpdir(), 'core-command-cache-'));
let metadata: CoreMetadataHandle;
let client: CoreMetadataClient;
let source: MetadataSource;

before(async () => {
  metadata = await startCoreMetadata({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      Database: { Path: join(dir, 'md.db') },
      MessageBus: { Disabled: true },
    },
  });
  client = new CoreMetadataClient(`127.0.0.1:${metadata.grpcPort}`);
  await client.addDeviceService({ name: 'ds', baseAddress: 'http://ds:59999', adminState: 'UNLOCKED' } as never);
  await client.addDeviceProfile(THERMOSTAT_PROFILE);
  await client.addDevice(thermostat('c-1', 'ds'));
  source = new MetadataSource(new StaticRegistry({ 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } }), 5000);
});

after(async () => {
  source?.close();
  client?.close();
  await metadata?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a cached device stays as it was until invalidated; then the change shows', async () => {
  const cache = new CachedMetadata(source, 60_000);
  assert.equal((await cache.device('c-1')).adminState, 'UNLOCKED');
  await client.updateDevice({ name: 'c-1', adminState: 'LOCKED' });
  assert.equal((await cache.device('c-1')).adminState, 'UNLOCKED', 'served from the cache');
  cache.invalidate('device', 'c-1');
  assert.equal((await cache.device('c-1')).adminState, 'LOCKED');
  await client.updateDevice({ name: 'c-1', adminState: 'UNLOCKED' });
});

test('a failed lookup is not kept: a device added after a NotFound is found at once', async () => {
  const cache = new CachedMetadata(source, 60_000);
  await assert.rejects(cache.device('c-later'), (e: unknown) => e instanceof EdgeXError && e.kind === 'NotFound');
  await client.addDevice(thermostat('c-later', 'ds'));
  assert.equal((await cache.device('c-later')).name, 'c-later');
});

test('entries expire after the TTL even without an event', async () => {
  const cache = new CachedMetadata(source, 50);
  assert.equal((await cache.deviceService('ds')).adminState, 'UNLOCKED');
  await client.updateDeviceService({ name: 'ds', adminState: 'LOCKED' });
  await waitFor('the LOCKED service once the entry expired', async () => (await cache.deviceService('ds')).adminState === 'LOCKED');
  await client.updateDeviceService({ name: 'ds', adminState: 'UNLOCKED' });
});
