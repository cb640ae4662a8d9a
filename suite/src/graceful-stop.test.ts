// In the all-in-one the embedded broker hands device events to core-data in-process and keeps no session for
// it: what core-data has taken must be stored before it stops, since nothing will deliver it again. It is:
// a delivery is acknowledged to the broker once core-data's handler has put the event in its write queue,
// and stopping drains that queue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startCoreData } from '@edgex-ts/core-data';
import { commonConfigSchema, connectMessageBus, newEnvelope } from '@edgex-ts/runtime';
import { pino } from 'pino';
import { startEmbeddedBroker } from './embedded-broker.js';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'suite-graceful-stop-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function startCoreDataOn(brokerPort: number) {
  return startCoreData({
    argv: [],
    env: {},
    handleSignals: false,
    configOverrides: {
      Service: { Port: 0, GrpcPort: 0, Host: '127.0.0.1', ServerBindAddr: '127.0.0.1' },
      Writable: { LogLevel: 'ERROR' },
      Database: { Path: join(dir, 'core-data.db') },
      MessageBus: { Host: '127.0.0.1', Port: brokerPort, Optional: { ClientId: 'core-data' } },
    },
  });
}

function addEventRequest(n: number) {
  const origin = 1_700_000_000_000_000_000 + n * 1000;
  const event = {
    apiVersion: 'v3',
    id: randomUUID(),
    deviceName: 'burst-device',
    profileName: 'burst-profile',
    sourceName: 'burst',
    origin,
    readings: Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(),
      origin,
      deviceName: 'burst-device',
      resourceName: `r${i}`,
      profileName: 'burst-profile',
      valueType: 'Int32',
      value: String(n),
    })),
  };
  return { apiVersion: 'v3', requestId: randomUUID(), event };
}

test('core-data stopping in the all-in-one stores every event the embedded broker has handed it', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker('127.0.0.1', 0);
  const busConfig = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: broker.port } }).MessageBus;
  const device = await connectMessageBus(busConfig, silent, 'burst-publisher');
  try {
    let core = await startCoreDataOn(broker.port);
    const EVENTS = 5000;
    // Every publish resolves once the broker has taken the message: for a device service, the event is sent.
    await Promise.all(
      Array.from({ length: EVENTS }, (_, n) =>
        device.publish('edgex/events/device/device-burst/burst-profile/burst-device/burst', newEnvelope(addEventRequest(n))),
      ),
    );
    await core.stop();

    core = await startCoreDataOn(broker.port);
    try {
      const res = await fetch(`http://127.0.0.1:${core.restPort}/api/v3/event/count/device/name/burst-device`);
      assert.equal(((await res.json()) as { count: number }).count, EVENTS);
    } finally {
      await core.stop();
    }
  } finally {
    await device.close();
    await broker.close();
  }
});
