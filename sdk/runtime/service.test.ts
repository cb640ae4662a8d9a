import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { startMosquitto, type MosquittoBroker } from '../../test/helpers/mosquitto.js';
import { healthCheck, listServicesByReflection } from '../../test/helpers/grpc.js';
import { waitFor } from '../../test/helpers/wait.js';
import { CoreDataServiceClient, CoreDataServiceService } from '@edgex-ts/contracts';
import { newEnvelope, payloadJson } from './bus/index.js';
import { commonConfigSchema, loadConfig, type CommonConfig } from './config.js';
import { EdgeXError, GRPC_KIND_METADATA_KEY } from './contracts.js';
import { grpcUnary } from './grpc.js';
import { asyncRoute, sendOk } from './rest.js';
import { createServiceRuntime, startService } from './service.js';
import { StaticRegistry } from './registry.js';

const silent = pino({ level: 'silent' });

function testConfig(overrides: Record<string, unknown> = {}): CommonConfig {
  return loadConfig({
    service: 'svc-test',
    schema: commonConfigSchema,
    argv: [],
    env: {},
    overrides: { Service: { ServerBindAddr: '127.0.0.1', Host: '127.0.0.1' }, MessageBus: { Disabled: true }, ...overrides },
  });
}

describe('service runtime', () => {
  test('gRPC: health SERVING after start, reflection lists services, EdgeXError → status', async () => {
    const rt = await createServiceRuntime({ name: 'svc-test', config: testConfig(), log: silent });
    rt.addGrpcService(
      CoreDataServiceService,
      {
        getEvent: grpcUnary<{ id: string }, object>(async (req) => {
          throw new EdgeXError('NotFound', `event ${req.id} not found`);
        }),
      },
      'edgex.coredata.v1.CoreDataService',
    );
    await rt.start();
    try {
      assert.ok(rt.grpcPort > 0 && rt.restPort > 0);
      assert.equal(await healthCheck(rt.grpcPort, ''), 'SERVING');
      assert.equal(await healthCheck(rt.grpcPort, 'edgex.coredata.v1.CoreDataService'), 'SERVING');
      await assert.rejects(healthCheck(rt.grpcPort, 'no.such.Service'), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND);

      const names = await listServicesByReflection(rt.grpcPort);
      assert.ok(names.includes('edgex.coredata.v1.CoreDataService'), names.join(','));
      assert.ok(names.includes('grpc.health.v1.Health'), names.join(','));
      assert.ok(!names.includes('edgex.coremetadata.v1.CoreMetadataService'), `lists only what it serves: ${names.join(',')}`);

      const client = new CoreDataServiceClient(`127.0.0.1:${rt.grpcPort}`, grpc.credentials.createInsecure());
      const err = await new Promise<grpc.ServiceError>((resolve) => client.getEvent({ id: 'e-1' }, (e) => resolve(e as grpc.ServiceError)));
      client.close();
      assert.equal(err.code, grpc.status.NOT_FOUND);
      assert.equal(err.details, 'event e-1 not found');
      assert.deepEqual(err.metadata.get(GRPC_KIND_METADATA_KEY), ['NotFound']);
    } finally {
      await rt.stop();
    }
  });

  test('graceful stop drains in-flight REST requests, runs onStop hooks in reverse, then refuses connections', async () => {
    const rt = await createServiceRuntime({ name: 'svc-test', config: testConfig(), log: silent });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered = false;
    rt.rest.get(
      '/api/v3/slow',
      asyncRoute(async (_req, res) => {
        entered = true;
        await gate;
        sendOk(res, 200, { done: true });
      }),
    );
    const order: string[] = [];
    rt.onStop(() => {
      order.push('first');
    });
    rt.onStop(async () => {
      order.push('second');
    });
    await rt.start();
    const port = rt.restPort;
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v3/slow`);
    await waitFor('request in handler', () => entered);
    let stopped = false;
    const stopping = rt.stop().then(() => (stopped = true));
    await waitFor('stop began (health NOT_SERVING)', async () => {
      try {
        return (await healthCheck(rt.grpcPort, '')) === 'NOT_SERVING';
      } catch {
        return true; // gRPC already gone
      }
    });
    assert.equal(stopped, false, 'stop waits for the in-flight request');
    release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { apiVersion: 'v3', statusCode: 200, done: true });
    await stopping;
    assert.deepEqual(order, ['second', 'first']);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/api/v3/ping`));
    await rt.stop(); // idempotent
  });

  test('a port already in use gives an error naming the port and the key', async () => {
    const first = await createServiceRuntime({ name: 'svc-a', config: testConfig(), log: silent });
    await first.start();
    try {
      const clash = await createServiceRuntime({
        name: 'svc-b',
        config: testConfig({ Service: { ServerBindAddr: '127.0.0.1', Port: first.restPort } }),
        log: silent,
      });
      await assert.rejects(
        clash.start(),
        new RegExp(`svc-b: cannot listen for REST on 127\\.0\\.0\\.1:${first.restPort} \\(Service\\.Port\\): port ${first.restPort} is already in use`),
      );
      const grpcClash = await createServiceRuntime({
        name: 'svc-c',
        config: testConfig({ Service: { ServerBindAddr: '127.0.0.1', GrpcPort: first.grpcPort } }),
        log: silent,
      });
      await assert.rejects(grpcClash.start(), new RegExp(`svc-c: cannot listen for gRPC on 127\\.0\\.0\\.1:${first.grpcPort} \\(Service\\.GrpcPort\\)`));
    } finally {
      await first.stop();
    }
  });

  test('static registry resolves Clients and names unknown services', async () => {
    const reg = new StaticRegistry({ 'core-metadata': { Host: 'meta', Port: 59881, GrpcPort: 49881 } });
    assert.deepEqual(await reg.resolve('core-metadata'), { host: 'meta', restPort: 59881, grpcPort: 49881 });
    await assert.rejects(
      reg.resolve('core-nothing'),
      (err: unknown) => err instanceof EdgeXError && err.kind === 'NotFound' && err.message.includes("'core-nothing'"),
    );
  });
});

describe('service runtime with the message bus', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('bus connects at create, subscribers run, stop closes it', async () => {
    const busCfg = { Host: '127.0.0.1', Port: broker.port };
    const a = await createServiceRuntime({ name: 'bus-a', config: testConfig({ MessageBus: busCfg }), log: silent });
    const b = await createServiceRuntime({ name: 'bus-b', config: testConfig({ MessageBus: busCfg }), log: silent });
    assert.ok(a.bus && b.bus);
    const got: unknown[] = [];
    await b.bus.subscribe(b.bus.topic('events', '#'), async (env) => {
      got.push(payloadJson(env));
    });
    await a.start();
    await b.start();
    await a.bus.publish(a.bus.topic('events', 'x'), newEnvelope({ hello: 'world' }));
    await waitFor('delivery', () => got.length === 1);
    assert.deepEqual(got, [{ hello: 'world' }]);
    await a.stop();
    await b.stop();
    await assert.rejects(a.bus.publish('edgex/x', newEnvelope({})), /message bus is closed/);
  });
});

describe('startService', () => {
  test('a service whose wiring fails is stopped, what the wiring opened is closed, and the error reaches the caller', async () => {
    const closed: string[] = [];
    let restPort = 0;
    await assert.rejects(
      startService('svc-test', testConfig(), { log: silent }, async (runtime) => {
        runtime.onStop(() => {
          closed.push('store');
        });
        await runtime.start();
        restPort = runtime.restPort;
        throw new EdgeXError('ServiceUnavailable', 'the bus subscription failed');
      }),
      /the bus subscription failed/,
    );
    assert.deepEqual(closed, ['store']);
    await assert.rejects(fetch(`http://127.0.0.1:${restPort}/api/v3/ping`), 'its REST port is closed again');
  });

  test('a wired service hands back its runtime, ports and what the wiring returned', async () => {
    const handle = await startService('svc-test', testConfig(), { log: silent }, async (runtime) => {
      await runtime.start();
      return { domain: 'the domain' };
    });
    try {
      assert.equal(handle.domain, 'the domain');
      assert.equal(handle.name, 'svc-test');
      const ping = (await (await fetch(`http://127.0.0.1:${handle.restPort}/api/v3/ping`)).json()) as { serviceName: string };
      assert.equal(ping.serviceName, 'svc-test');
    } finally {
      await handle.stop();
    }
  });
});
