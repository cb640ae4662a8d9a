/**
 * device-snmp as the all-in-one and the containers start it: without devices, and with a trap port it may not
 * get. It must come up healthy either way, and give its trap port back on stop.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../../test/helpers/ports.js';
import { freeUdpPort, sendTrapV2c } from '../../../test/helpers/snmpd.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { SnmpDriver, startDeviceSnmp } from './index.js';

async function startWithoutDevices(driver: SnmpDriver, trapPort: number, driverConfig: Record<string, string> = {}) {
  const devicesDir = mkdtempSync(join(tmpdir(), 'snmp-no-devices-'));
  const ds = await startDeviceSnmp({
    argv: [],
    // as a container sets it
    env: { DRIVER_TRAPPORT: String(trapPort) },
    driver,
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      Device: { DevicesDir: devicesDir },
      Driver: { TrapBindAddress: '127.0.0.1', ...driverConfig },
      // nothing listens there: provisioning retries in the background
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
  return {
    ds,
    async stop() {
      await ds.stop();
      rmSync(devicesDir, { recursive: true, force: true });
    },
  };
}

async function ping(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/api/v3/ping`)).status;
}

test('starts healthy with an empty devices folder, listens for traps, and frees the trap port on stop', async () => {
  const trapPort = await freeUdpPort();
  const driver = new SnmpDriver();
  const svc = await startWithoutDevices(driver, trapPort);
  try {
    assert.equal(svc.ds.name, 'device-snmp');
    assert.equal(await ping(svc.ds.restPort), 200);
    assert.equal(svc.ds.sdk.getDevices().length, 0);
    assert.equal(driver.trapPort, trapPort);
    assert.deepEqual(svc.ds.config.Driver, {
      Timeout: '2s',
      Retries: '1',
      MaxRepetitions: '20',
      MaxInFlight: '8',
      TrapPort: String(trapPort),
      TrapBindAddress: '127.0.0.1',
      TrapCommunities: '',
    });
  } finally {
    await svc.stop();
  }
  const socket = createSocket('udp4');
  socket.bind(trapPort, '127.0.0.1');
  await once(socket, 'listening'); // rejects with EADDRINUSE if the listener were still open
  socket.close();
});

test('a trap port that is taken leaves the service running without a trap listener', async () => {
  const taken = createSocket('udp4');
  taken.bind(0, '127.0.0.1');
  await once(taken, 'listening');
  const driver = new SnmpDriver();
  try {
    const svc = await startWithoutDevices(driver, taken.address().port);
    try {
      assert.equal(await ping(svc.ds.restPort), 200);
      assert.equal(driver.trapPort, undefined);
    } finally {
      await svc.stop();
    }
  } finally {
    taken.close();
  }
});

test('Driver.TrapPort 0 runs without a trap listener', async () => {
  const driver = new SnmpDriver();
  const svc = await startWithoutDevices(driver, 0);
  try {
    assert.equal(await ping(svc.ds.restPort), 200);
    assert.equal(driver.trapPort, undefined);
  } finally {
    await svc.stop();
  }
});

test('Driver.TrapCommunities: traps with another community are refused and counted', async () => {
  const trapPort = await freeUdpPort();
  const driver = new SnmpDriver();
  const svc = await startWithoutDevices(driver, trapPort, { TrapCommunities: 'secret' });
  try {
    await sendTrapV2c(trapPort, '1.3.6.1.6.3.1.1.5.1', [], 'public');
    await waitFor('the public trap refused', () => driver.trapStats.rejected === 1);
    await sendTrapV2c(trapPort, '1.3.6.1.6.3.1.1.5.1', [], 'secret');
    // accepted; with no devices it matches nothing
    await waitFor('the secret trap received', () => driver.trapStats.received === 1);
    assert.deepEqual(driver.trapStats, { received: 1, readings: 0, unmatched: 1, rejected: 1 });
  } finally {
    await svc.stop();
  }
});
