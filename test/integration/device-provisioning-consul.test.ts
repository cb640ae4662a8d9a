/**
 * Provisioning with Consul as the registry (CONSUL_HTTP_ADDR), device-virtual started before core-metadata
 * has registered: the registry does not know core-metadata yet, which is a reason to wait for it (as EdgeX's
 * device SDK waits for its dependencies), not to give up provisioning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { CoreMetadataClient } from '@edgex-ts/client';
import { startCoreMetadata } from '@edgex-ts/core-metadata';
import { startDeviceVirtual } from '@edgex-ts/device-virtual';
import { startConsul } from '../helpers/consul.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

test('with Consul: a device service started before core-metadata registers provisions once core-metadata is there', async (t) => {
  // Stopped in reverse order, Consul last (the services deregister from it).
  const stops: (() => Promise<unknown> | void)[] = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const consul = await startConsul();
  stops.push(() => consul.stop());
  const env = { CONSUL_HTTP_ADDR: consul.addr, REGISTRY_CONFIGSTEM: 'edgex-ts-provisioning' };

  const logged: string[] = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  const dv = await startDeviceVirtual({
    argv: [],
    env,
    log,
    configOverrides: { Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 }, MessageBus: { Disabled: true } },
  });
  stops.push(() => dv.stop());
  // The first attempt has found no core-metadata in Consul before it starts.
  await waitFor('a first provisioning attempt without core-metadata', () => logged.some((l) => /core-metadata/.test(l)));

  const grpcPort = await freePort();
  const metadata = await startCoreMetadata({
    argv: [],
    env,
    configOverrides: {
      Service: { Host: '127.0.0.1', Port: await freePort(), GrpcPort: grpcPort },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      Database: { Path: join(mkdtempSync(join(tmpdir(), 'dv-consul-meta-')), 'metadata.db') },
    },
  });

  stops.push(() => metadata.stop());

  const result = await dv.provisioned;
  assert.ok(result, `provisioned (log: ${logged.join('')})`);
  assert.ok(result.attempts >= 2, `retried (${result.attempts} attempts)`);
  assert.equal(result.serviceAdded, true);
  assert.equal(result.devicesAdded.length, 6);
  const client = new CoreMetadataClient(`127.0.0.1:${grpcPort}`);
  stops.push(() => client.close());
  const svc = await client.getDeviceService('device-virtual');
  assert.equal(svc.baseAddress, `http://127.0.0.1:${dv.restPort}`);
});
