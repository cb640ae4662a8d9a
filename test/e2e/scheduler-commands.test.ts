// support-scheduler against the real services it drives, in this process on a real Mosquitto: EdgeX's default
// `scrub-aged-events` (with a short age) purging a real core-data, DEVICECONTROL actions reaching device-virtual
// through core-command (a SET read back, a GET whose reading lands in core-data), and an EDGEXMESSAGEBUS action
// published to the broker.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { newUuid, type Event } from '@edgex-ts/contracts';
import { RES_DIR as VIRTUAL_RES, startDeviceVirtual, type DeviceVirtualHandle } from '@edgex-ts/device-virtual';
import { decodeEnvelope } from '@edgex-ts/runtime';
import { batchOne, startScheduler, tempDir, type SchedulerUnderTest } from '../../services/support-scheduler/src/test-support/harness.js';
import { startCoreServices, type CoreServices } from '../helpers/core-services.js';
import { readJson, type BaseResponse, type MultiEventsResponse } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';

const DEVICE = 'Random-Integer-Device';
const ONE_MINUTE_NS = 60_000_000_000;

describe('support-scheduler driving the core services', () => {
  const dir = tempDir('scheduler-e2e-');
  let core: CoreServices;
  let virtual: DeviceVirtualHandle;
  let scheduler: SchedulerUnderTest;

  before(async () => {
    core = await startCoreServices();
    const bus = (name: string) => ({
      Host: '127.0.0.1',
      Port: core.broker.port,
      Optional: { ClientId: `${name}-${process.pid}-${core.broker.port}`, CleanSession: true },
    });
    // device-virtual's devices without their auto-events' noise: every Int16 reading in core-data is one the scheduler asked for.
    const devicesDir = join(dir.path, 'virtual-devices');
    mkdirSync(devicesDir);
    writeFileSync(
      join(devicesDir, 'devices.yaml'),
      readFileSync(join(VIRTUAL_RES, 'devices', 'devices.yaml'), 'utf8').replace(/interval: \d+s/g, 'interval: 1h'),
    );
    virtual = await startDeviceVirtual({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: bus('device-virtual'),
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: core.metadata.restPort, GrpcPort: core.metadata.grpcPort } },
        Device: { DevicesDir: devicesDir },
      },
    });
    await virtual.provisioned;
    scheduler = await startScheduler({
      Database: { Path: join(dir.path, 'scheduler.db') },
      MessageBus: { Disabled: false, ...bus('support-scheduler') },
      Clients: { 'core-command': { Host: '127.0.0.1', Port: core.command.restPort, GrpcPort: core.command.grpcPort } },
      // EdgeX's default schedule, every 2 s and with an age of one minute instead of midnight and 7 days.
      Intervals: { Midnight: { Start: '', Interval: '2s' } },
      IntervalActions: { ScrubAged: { Host: '127.0.0.1', Port: core.data.restPort, Path: `/api/v3/event/age/${ONE_MINUTE_NS}` } },
    });
  });
  after(async () => {
    await scheduler?.stop();
    await virtual?.stop();
    await core?.stop();
    dir.remove();
  });

  test('scrub-aged-events removes the events older than its age from core-data and leaves the new ones', async () => {
    const post = async (deviceName: string, originNs: bigint) => {
      const event = { apiVersion: 'v3', id: newUuid(), deviceName, profileName: 'P', sourceName: 'S', origin: originNs.toString() };
      const reading = { id: newUuid(), origin: originNs.toString(), deviceName, resourceName: 'S', profileName: 'P', valueType: 'Int32', value: '7' };
      const body = `{"apiVersion":"v3","event":${JSON.stringify({ ...event, readings: [reading] }).replace(/"origin":"(\d+)"/g, '"origin":$1')}}`;
      const res = await fetch(core.url.data(`/event/test/P/${deviceName}/S`), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(res.status, 201, await res.text());
    };
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    await post('scrub-old', nowNs - 3_600_000_000_000n);
    await post('scrub-new', nowNs);
    const count = async (device: string) =>
      (await readJson<BaseResponse & { count: number }>(await fetch(core.url.data(`/event/count/device/name/${device}`)))).count;
    assert.equal(await count('scrub-old'), 1);

    await waitFor('scrub-aged-events to remove the hour-old event', async () => (await count('scrub-old')) === 0, { timeoutMs: 15_000 });
    assert.equal(await count('scrub-new'), 1, 'the new event stays');
    const records = await readJson<BaseResponse & { scheduleActionRecords: { status: string; action: { address: string } }[] }>(
      await fetch(scheduler.url('/scheduleactionrecord/job/name/midnight/status/SUCCEEDED')),
    );
    assert.ok(records.scheduleActionRecords.length >= 1);
    assert.equal(records.scheduleActionRecords[0].action.address, core.url.data(`/event/age/${ONE_MINUTE_NS}`).replace('localhost', '127.0.0.1'));
  });

  test('a scheduled DEVICECONTROL SET reaches device-virtual through core-command, and reads back', async () => {
    const set = await batchOne('POST', scheduler.url('/job'), {
      scheduleJob: {
        name: 'set-int8',
        definition: { type: 'INTERVAL', interval: '1s' },
        actions: [{ type: 'DEVICECONTROL', deviceName: DEVICE, sourceName: 'WriteInt8Value', payload: { Int8: '42' } }],
      },
    });
    assert.equal(set.statusCode, 201, set.message);
    await waitFor('the SET to run', async () => {
      const res = await readJson<BaseResponse & { totalCount: number }>(await fetch(scheduler.url('/scheduleactionrecord/job/name/set-int8/status/SUCCEEDED')));
      return res.totalCount > 0;
    });
    const read = await readJson<BaseResponse & { event: Event }>(await fetch(core.url.command(`/device/name/${DEVICE}/Int8`)));
    assert.equal(read.event.readings[0]?.value, '42');
    assert.equal((await fetch(scheduler.url('/job/name/set-int8'), { method: 'DELETE' })).status, 200);
  });

  test("a v3 interval action calling core-command's REST API sets the device too", async () => {
    assert.equal((await batchOne('POST', scheduler.url('/interval'), { interval: { name: 'every-second', interval: '1s' } })).statusCode, 201);
    const added = await batchOne('POST', scheduler.url('/intervalaction'), {
      action: {
        name: 'set-int32',
        intervalName: 'every-second',
        adminState: 'UNLOCKED',
        address: { type: 'REST', host: '127.0.0.1', port: core.command.restPort, path: `/api/v3/device/name/${DEVICE}/WriteInt32Value`, httpMethod: 'PUT' },
        content: JSON.stringify({ Int32: '-77' }),
        contentType: 'application/json',
      },
    });
    assert.equal(added.statusCode, 201, added.message);
    await waitFor('the interval action to succeed', async () => {
      const res = await readJson<BaseResponse & { totalCount: number }>(
        await fetch(scheduler.url('/scheduleactionrecord/job/name/every-second/status/SUCCEEDED')),
      );
      return res.totalCount > 0;
    });
    const read = await readJson<BaseResponse & { event: Event }>(await fetch(core.url.command(`/device/name/${DEVICE}/Int32`)));
    assert.equal(read.event.readings[0]?.value, '-77');
    assert.equal((await fetch(scheduler.url('/intervalaction/name/set-int32'), { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(scheduler.url('/interval/name/every-second'), { method: 'DELETE' })).status, 200);
  });

  test('a DEVICECONTROL without payload reads the device (GET, ds-pushevent): its reading lands in core-data', async () => {
    // A known value first (randomization off), then the scheduled read of it: the first Int16 event after the PUT.
    const putAtNs = Date.now() * 1e6;
    const put = await fetch(core.url.command(`/device/name/${DEVICE}/WriteInt16Value`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Int16: '-321' }),
    });
    assert.equal(put.status, 200, await put.text());
    const get = await batchOne('POST', scheduler.url('/job'), {
      scheduleJob: {
        name: 'read-int16',
        definition: { type: 'CRON', crontab: '* * * * * *' },
        actions: [{ type: 'DEVICECONTROL', deviceName: DEVICE, sourceName: 'Int16' }],
      },
    });
    assert.equal(get.statusCode, 201, get.message);
    const event = await waitFor('a scheduled Int16 reading in core-data', async () => {
      const res = await readJson<MultiEventsResponse>(await fetch(core.url.data(`/event/device/name/${DEVICE}?limit=50`)));
      return res.events.find((e) => e.sourceName === 'Int16' && Number(e.origin) > putAtNs);
    });
    assert.equal(event.readings[0]?.value, '-321');
    const runs = await readJson<BaseResponse & { totalCount: number }>(
      await fetch(scheduler.url('/scheduleactionrecord/job/name/read-int16/status/SUCCEEDED')),
    );
    assert.ok(runs.totalCount >= 1, "the read was the scheduler's");
    assert.equal((await fetch(scheduler.url('/job/name/read-int16'), { method: 'DELETE' })).status, 200);
  });

  test('an EDGEXMESSAGEBUS action publishes its payload on the broker', async () => {
    const sub = await mqtt.connectAsync(core.broker.url, { clientId: `scheduler-sub-${process.pid}` });
    try {
      const received: { topic: string; payload: Buffer }[] = [];
      sub.on('message', (topic, payload) => received.push({ topic, payload }));
      await sub.subscribeAsync('edgex/scheduler-test/#', { qos: 1 });
      const added = await batchOne('POST', scheduler.url('/job'), {
        scheduleJob: {
          name: 'bus-ping',
          definition: { type: 'INTERVAL', interval: '1h' },
          actions: [{ type: 'EDGEXMESSAGEBUS', topic: 'edgex/scheduler-test/ping', payload: { hello: 'bus' } }],
        },
      });
      assert.equal(added.statusCode, 201, added.message);
      assert.equal((await fetch(scheduler.url('/job/trigger/name/bus-ping'), { method: 'POST' })).status, 202);
      const msg = await waitFor('the published message', () => received[0]);
      assert.equal(msg.topic, 'edgex/scheduler-test/ping');
      const envelope = decodeEnvelope(msg.payload);
      assert.equal(envelope.contentType, 'application/json');
      assert.deepEqual(JSON.parse(Buffer.from(envelope.payload).toString('utf8')), { hello: 'bus' });
    } finally {
      await sub.endAsync();
    }
  });
});
