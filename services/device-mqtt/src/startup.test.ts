/**
 * device-mqtt starts healthy without devices and without its device broker, keeps connecting (and says so in its
 * log), and is ready once the broker appears.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '@edgex-ts/runtime';
import { startMosquitto } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startDeviceMqtt } from './index.js';

test('starts with an empty devices folder while the device broker is down, then connects when it comes up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-mqtt-start-'));
  const broker = await startMosquitto();
  await broker.stop(); // its port is now free and known: the broker "comes up later" with restart()
  const lines: { level: number; msg: string; broker?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const ds = await startDeviceMqtt({
    argv: [],
    env: {},
    log: createLogger('device-mqtt', 'INFO', sink),
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
      Device: { DevicesDir: dir },
      MQTTBrokerInfo: { Host: '127.0.0.1', Port: broker.port, ConnRetryWaitTime: 0.1, ConnEstablishingRetry: 3 },
    },
  });
  try {
    const ping = await fetch(`http://127.0.0.1:${ds.restPort}/api/v3/ping`);
    assert.equal(ping.status, 200);
    assert.deepEqual(ds.sdk.getDevices(), []);
    assert.equal(ds.driver.ready, false);
    await waitFor(
      'the retry warning and, after 3 attempts, the error',
      () =>
        lines.some((l) => l.level === 40 && /cannot connect to the device MQTT broker.*retrying every 100 ms/.test(l.msg)) &&
        lines.some((l) => l.level === 50 && /still unreachable after 3 attempts/.test(l.msg) && l.broker === `mqtt://127.0.0.1:${broker.port}`),
    );

    await broker.restart();
    await waitFor('the driver connected and subscribed', () => ds.driver.ready, { timeoutMs: 20_000 });
    assert.ok(lines.some((l) => l.msg === 'connected to the device MQTT broker'));
  } finally {
    await ds.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
