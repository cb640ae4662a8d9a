/**
 * Provisioning against a real core-metadata that starts AFTER device-virtual (EdgeX start-order problem):
 * device-virtual keeps producing events, retries, then registers itself and adds its profiles and devices;
 * on a restart, existing names are left alone. Over EdgeX's REST API (the default) and over gRPC.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { CoreMetadataClient } from '@edgex-ts/client';
import { freePort } from '../helpers/ports.js';
import { startDeviceVirtual } from '@edgex-ts/device-virtual';

for (const protocol of ['http', 'grpc'] as const)
  test(`provisions (${protocol}) with a core-metadata that comes up later; on restart adds nothing again and updates its baseAddress`, async (t) => {
    const grpcPort = await freePort();
    const restPort = await freePort();
    const dvOverrides = {
      Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' as const },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: restPort, GrpcPort: grpcPort, Protocol: protocol } },
    };
    const dv = await startDeviceVirtual({ argv: [], env: {}, configOverrides: dvOverrides });
    t.after(() => dv.stop());

    let metadata: CoreMetadataHandle | undefined;
    t.after(() => metadata?.stop());
    metadata = await startCoreMetadata({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', Port: restPort, GrpcPort: grpcPort },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Disabled: true },
        Database: { Path: join(mkdtempSync(join(tmpdir(), 'dv-meta-')), 'metadata.db') },
      },
    });

    const result = await dv.provisioned;
    assert.ok(result);
    assert.ok(result.attempts >= 2, `retried (${result.attempts} attempts)`);
    assert.equal(result.serviceAdded, true);
    assert.equal(result.profilesAdded.length, 6);
    assert.equal(result.devicesAdded.length, 6);
    assert.deepEqual(result.failed, []);

    const client = new CoreMetadataClient(`127.0.0.1:${grpcPort}`);
    t.after(() => client.close());
    const svc = await client.getDeviceService('device-virtual');
    assert.equal(svc.baseAddress, `http://127.0.0.1:${dv.restPort}`);
    assert.equal(svc.adminState, 'UNLOCKED');
    const { devices } = await client.listDevices({ limit: 100 });
    const mine = devices.filter((d) => d.serviceName === 'device-virtual');
    assert.equal(mine.length, 6);
    const ramp = await client.getDevice('Ramp-Device');
    assert.equal(ramp.profileName, 'Ramp-Device');
    assert.deepEqual(ramp.protocols, { other: { Address: 'device-virtual-ramp-01', Port: 300 } });
    assert.equal((await client.getDeviceProfile('Random-Integer-Device')).deviceResources.length, 8);

    // a second start, on another port (picked while the first still holds its own), finds everything in place
    const newPort = await freePort();
    await dv.stop();
    const again = await startDeviceVirtual({
      argv: [],
      env: {},
      configOverrides: { ...dvOverrides, Service: { ...dvOverrides.Service, Port: newPort } },
    });
    t.after(() => again.stop());
    const second = await again.provisioned;
    assert.ok(second);
    assert.equal(second.serviceAdded, false);
    // The registration follows the new port.
    assert.equal(second.serviceUpdated, true);
    assert.equal((await client.getDeviceService('device-virtual')).baseAddress, `http://127.0.0.1:${again.restPort}`);
    assert.deepEqual(second.profilesAdded, []);
    assert.deepEqual(second.devicesAdded, []);
  });
