import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { CoreDataServiceService, EdgeXError, GRPC_KIND_METADATA_KEY, eventFromProto, grpcStatusOf } from '@edgex-ts/contracts';
import type { coredataV1, ErrorKind, Event } from '@edgex-ts/contracts';
import { CoreDataClient } from './index.js';

const event = (n: number): Event => ({
  id: `7b1f3c2d-5e6f-4a70-8b9c-${String(n).padStart(12, '0')}`,
  deviceName: 'd1',
  profileName: 'p1',
  sourceName: 'Temperature',
  origin: 1735689600000000000 + n,
  readings: [{ origin: 1735689600000000000, deviceName: 'd1', resourceName: 'Temperature', profileName: 'p1', valueType: 'Int16', value: String(n) }],
});

/**
 * A small core-data stand-in over a real gRPC server: the client's wire behaviour (status → kind,
 * streaming, backpressure) is what is under test here; the real service has its own tests.
 */
async function startServer(): Promise<{ address: string; stop: () => Promise<void>; received: Event[] }> {
  const received: Event[] = [];
  const server = new grpc.Server();
  const fail = (kind: ErrorKind, message: string, withKind = false): grpc.ServiceError => {
    const metadata = new grpc.Metadata();
    if (withKind) metadata.set(GRPC_KIND_METADATA_KEY, kind);
    return Object.assign(new Error(message), { code: grpcStatusOf(kind), details: message, metadata });
  };
  server.addService(CoreDataServiceService, {
    addEvent: (call: grpc.ServerUnaryCall<coredataV1.AddEventRequest, coredataV1.AddEventResponse>, cb: grpc.sendUnaryData<coredataV1.AddEventResponse>) => {
      const e = eventFromProto(call.request.event!);
      if (e.deviceName === 'missing') return cb(fail('NotFound', 'device missing not found'));
      if (e.deviceName === 'dup') return cb(fail('DuplicateName', `event ${e.id} exists`));
      if (e.deviceName === 'bad') return cb(fail('ContractInvalid', 'event.readings[0].valueType: expected one of Bool, …'));
      if (e.deviceName === 'locked') return cb(fail('ServiceLocked', 'device locked is LOCKED', true));
      if (e.deviceName === 'down') return cb(fail('ServiceUnavailable', 'store unavailable'));
      if (e.deviceName === 'far') return cb(fail('RangeNotSatisfiable', 'offset 10 > total 2'));
      received.push(e);
      cb(null, { id: e.id });
    },
    streamEvents: (
      call: grpc.ServerReadableStream<coredataV1.StreamEventsRequest, coredataV1.StreamEventsResponse>,
      cb: grpc.sendUnaryData<coredataV1.StreamEventsResponse>,
    ) => {
      let events = 0n;
      let readings = 0n;
      call.on('data', (req: coredataV1.StreamEventsRequest) => {
        const e = eventFromProto(req.event!);
        received.push(e);
        events++;
        readings += BigInt(e.readings.length);
      });
      call.on('end', () => cb(null, { acceptedEvents: events, acceptedReadings: readings }));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    received,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

test('gRPC errors come back as EdgeXError with the matching kind and message', async (t) => {
  const srv = await startServer();
  const client = new CoreDataClient(srv.address);
  t.after(async () => {
    client.close();
    await srv.stop();
  });
  await client.waitForReady(5000);
  assert.equal(await client.addEvent(event(1)), event(1).id);
  const cases: [string, ErrorKind, RegExp][] = [
    ['missing', 'NotFound', /^device missing not found$/],
    ['dup', 'DuplicateName', /exists$/],
    ['bad', 'ContractInvalid', /^event\.readings\[0\]\.valueType: expected one of/],
    ['locked', 'ServiceLocked', /LOCKED/],
    ['down', 'ServiceUnavailable', /store unavailable/],
    ['far', 'RangeNotSatisfiable', /offset 10/],
  ];
  for (const [deviceName, kind, message] of cases) {
    await assert.rejects(client.addEvent({ ...event(2), deviceName }), (e: unknown) => {
      assert.ok(e instanceof EdgeXError);
      assert.equal(e.kind, kind);
      assert.match(e.message, message);
      return true;
    });
  }
});

test('streamEvents sends every event, respecting backpressure, and returns the summary', async (t) => {
  const srv = await startServer();
  const client = new CoreDataClient(srv.address);
  t.after(async () => {
    client.close();
    await srv.stop();
  });
  const stream = client.streamEvents();
  for (let i = 0; i < 2000; i++) await stream.write(event(i));
  const summary = await stream.end();
  assert.deepEqual(summary, { acceptedEvents: 2000, acceptedReadings: 2000 });
  assert.equal(srv.received.length, 2000);
  assert.equal(srv.received[1999].readings[0].value, '1999');
});

test('an unreachable service is ServiceUnavailable', async () => {
  const client = new CoreDataClient('127.0.0.1:1', { callTimeoutMs: 2000 });
  try {
    await assert.rejects(client.waitForReady(200), (e: unknown) => e instanceof EdgeXError && e.kind === 'ServiceUnavailable');
    await assert.rejects(client.countEvents(), (e: unknown) => e instanceof EdgeXError && e.kind === 'ServiceUnavailable');
  } finally {
    client.close();
  }
});
