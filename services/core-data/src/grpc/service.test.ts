import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CoreDataServiceClient, coredataV1, eventToProto } from '@edgex-ts/contracts';
import type { CoreDataHandle } from '../index.js';
import { makeEvent } from '../test-support/events.js';
import { startTestCoreData } from '../test-support/start.js';
import { unaryCall, type UnaryMethod } from '../../../../test/helpers/grpc.js';

let cd: CoreDataHandle;
let client: InstanceType<typeof CoreDataServiceClient>;

const unary = <Req, Res>(method: UnaryMethod<Req, Res>, req: Req) => unaryCall(client, method, req);

before(async () => {
  cd = await startTestCoreData();
  client = new CoreDataServiceClient(`127.0.0.1:${cd.grpcPort}`, grpc.credentials.createInsecure());
});
after(async () => {
  client.close();
  await cd.stop();
});

describe('core-data gRPC', () => {
  it('AddEvent, GetEvent, list and count', async () => {
    const e = makeEvent({ deviceName: 'g1', resources: ['a', 'b'] });
    const res = await unary(client.addEvent, { event: eventToProto(e), serviceName: 'ds' });
    assert.equal(res.id, e.id);
    const got = await unary(client.getEvent, { id: e.id });
    assert.equal(got.event?.deviceName, 'g1');
    assert.equal(got.event?.readings.length, 2);
    const list = await unary(client.listEvents, { deviceName: 'g1', page: { offset: 0, limit: 10 } });
    assert.equal(list.totalCount, 1);
    assert.equal((await unary(client.countReadings, { deviceName: 'g1' })).count, 2);
    const rs = await unary(client.listReadings, { deviceName: 'g1', resourceNames: ['b'], page: { offset: 0, limit: -1 } });
    assert.equal(rs.totalCount, 1);
    assert.equal(rs.readings[0].resourceName, 'b');
  });

  it('maps errors to gRPC codes', async () => {
    const e = makeEvent({ deviceName: 'g1' });
    await unary(client.addEvent, { event: eventToProto(e), serviceName: 'ds' });
    await assert.rejects(unary(client.addEvent, { event: eventToProto(e), serviceName: 'ds' }), { code: grpc.status.ALREADY_EXISTS });
    const bad = eventToProto(makeEvent({}));
    bad.readings[0].valueType = 'Nope';
    await assert.rejects(unary(client.addEvent, { event: bad, serviceName: 'ds' }), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, /event\.readings\[0\]\.valueType/);
      return true;
    });
    await assert.rejects(unary(client.getEvent, { id: '3f1d0bd6-0000-4000-8000-000000000000' }), { code: grpc.status.NOT_FOUND });
    await assert.rejects(unary(client.listEvents, { deviceName: '', page: { offset: 99, limit: 1 } }), { code: grpc.status.OUT_OF_RANGE });
    await assert.rejects(unary(client.listEvents, { deviceName: '', range: { start: 10n, end: 5n } }), { code: grpc.status.INVALID_ARGUMENT });
    await assert.rejects(unary(client.listReadings, { deviceName: '', resourceNames: [], page: { offset: 0, limit: 5000 } }), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, /^page\.limit: must be between -1 and \d+/);
      return true;
    });
    await assert.rejects(unary(client.listReadings, { deviceName: '', resourceNames: [], page: { offset: 0, limit: -7 } }), {
      code: grpc.status.INVALID_ARGUMENT,
    });
  });

  it('StreamEvents stores every event before the summary; counts match the store', async () => {
    const n = 5000;
    const before = (await unary(client.countReadings, { deviceName: '' })).count;
    const started = performance.now();
    const summary = await new Promise<coredataV1.StreamEventsResponse>((resolve, reject) => {
      const stream = client.streamEvents((err, res) => (err ? reject(err) : resolve(res)));
      let i = 0;
      const pump = () => {
        while (i < n) {
          const ok = stream.write({ event: eventToProto(makeEvent({ deviceName: `s${i % 7}`, resources: 10 })), serviceName: 'ds' });
          i++;
          if (!ok) return void stream.once('drain', pump);
        }
        stream.end();
      };
      pump();
    });
    const secs = (performance.now() - started) / 1000;
    console.log(`# gRPC stream: ${Math.round((n * 10) / secs)} readings/s`);
    assert.equal(summary.acceptedEvents, BigInt(n));
    assert.equal(summary.acceptedReadings, BigInt(n * 10));
    assert.equal((await unary(client.countReadings, { deviceName: '' })).count, before + n * 10);
  });

  it('deletes by device and by age', async () => {
    const del = await unary(client.deleteEventsByDevice, { deviceName: 's1' });
    assert.ok(del.deletedEvents > 0);
    assert.equal((await unary(client.countEvents, { deviceName: 's1' })).count, 0);
    const old = makeEvent({ deviceName: 'old', origin: 1_000_000_000 });
    await unary(client.addEvent, { event: eventToProto(old), serviceName: 'ds' });
    const byAge = await unary(client.deleteEventsByAge, { age: 3600n * 1_000_000_000n });
    assert.equal(byAge.deletedEvents, 1);
    assert.equal((await unary(client.countEvents, { deviceName: 'old' })).count, 0);
  });
});
