import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { CoreMetadataClient } from '@edgex-ts/client';
import { decodeEnvelope, encodeEnvelope, newEnvelope, newErrorEnvelope, payloadJson, type MessageEnvelope } from '@edgex-ts/runtime';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { startCoreMetadata, type CoreMetadataHandle } from '../index.js';
import { BOOL_PROFILE, req, virtualDevice } from '../test-support/fixtures.js';
import { tempDir } from '../test-support/harness.js';

/**
 * core-metadata asks the owning device service to validate a device (EdgeX v3 bus round trip), here against a
 * device-service peer on a real Mosquitto that answers as device-sdk-go does.
 */
describe('device validation over the bus (real Mosquitto)', () => {
  const tmp = tempDir();
  let broker: MosquittoBroker;
  let md: CoreMetadataHandle;
  let peer: mqtt.MqttClient;
  const requests: { topic: string; env: MessageEnvelope }[] = [];
  let base: string;

  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(base + path, {
      method,
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Correlation-ID': '6a1e1d2c-0000-4000-8000-00000000000a' },
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    broker = await startMosquitto();
    peer = await mqtt.connectAsync(broker.url, { clientId: `peer-${process.pid}` });
    // The peer answers for "device-ok"; "device-silent" has no process; a device named "bad-*" is refused.
    peer.on('message', (topic, payload) => {
      const env = decodeEnvelope(payload);
      requests.push({ topic, env });
      const { device } = payloadJson<{ device: { name: string } }>(env);
      const reply = device.name.startsWith('bad-')
        ? newErrorEnvelope(env.requestID, env.correlationID, 'protocols.other.Address: unknown host')
        : newEnvelope(new Uint8Array(0), { requestID: env.requestID, correlationID: env.correlationID });
      void peer.publishAsync(`edgex/response/device-ok/${env.requestID}`, encodeEnvelope(reply), { qos: 1 });
    });
    await peer.subscribeAsync('edgex/device-ok/validate/device', { qos: 1 });
    md = await startCoreMetadata({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, RequestTimeout: '1s' },
        Writable: { LogLevel: 'ERROR' },
        Database: { Path: join(tmp.dir, 'md.db') },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `md-validation-${process.pid}`, CleanSession: true } },
      },
    });
    base = `http://127.0.0.1:${md.restPort}/api/v3`;
    for (const name of ['device-ok', 'device-silent']) {
      await call('POST', '/deviceservice', [req('service', { name, baseAddress: `http://${name}:1`, adminState: 'UNLOCKED' })]);
    }
    await call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE)]);
  });
  after(async () => {
    await md?.stop();
    await peer?.endAsync();
    await broker?.stop();
    tmp.remove();
  });

  const dev = (name: string, serviceName: string) => ({ ...virtualDevice(name, 'Random-Boolean-Device'), serviceName });

  it('sends an AddDeviceRequest to <service>/validate/device and stores the device the service accepts', async () => {
    const r = await call('POST', '/device', [req('device', dev('good-1', 'device-ok'))]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    const sent = requests.at(-1)!;
    assert.equal(sent.topic, 'edgex/device-ok/validate/device');
    assert.equal(sent.env.correlationID, '6a1e1d2c-0000-4000-8000-00000000000a');
    const body = payloadJson<{ apiVersion: string; device: { name: string; protocols: unknown } }>(sent.env);
    assert.equal(body.apiVersion, 'v3');
    assert.equal(body.device.name, 'good-1');
    assert.deepEqual(body.device.protocols, virtualDevice('x', 'y').protocols);
  });

  it('refuses (500, as EdgeX) a device the service rejects, naming its reason; nothing is stored', async () => {
    const r = await call('POST', '/device', [req('device', dev('bad-1', 'device-ok'))]);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 500);
    assert.match(r.body[0].message, /bad-1 validation failed: protocols\.other\.Address: unknown host/);
    const got = await fetch(`${base}/device/name/bad-1`);
    assert.equal(got.status, 404);
  });

  it('validates the changed device on PATCH', async () => {
    const r = await call('PATCH', '/device', [req('device', { name: 'good-1', labels: ['x'] })]);
    assert.equal(r.body[0].statusCode, 200, JSON.stringify(r.body));
    assert.deepEqual(payloadJson<{ device: { labels: string[] } }>(requests.at(-1)!.env).device.labels, ['x']);
  });

  it('answers 503 when the device service does not answer within Service.RequestTimeout', async () => {
    const r = await call('POST', '/device', [req('device', dev('lonely-1', 'device-silent'))]);
    assert.equal(r.body[0].statusCode, 503);
    assert.match(r.body[0].message, /device-silent did not answer/);
  });

  it('bypassValidation=true (EdgeX v4) stores without asking', async () => {
    const before = requests.length;
    const r = await call('POST', '/device?bypassValidation=true', [req('device', dev('lonely-2', 'device-silent'))]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    assert.equal(requests.length, before);
  });

  it('gRPC AddDevice/UpdateDevice validate too, and bypass_validation stores without asking', async () => {
    const client = new CoreMetadataClient(`127.0.0.1:${md.grpcPort}`);
    try {
      await assert.rejects(client.addDevice(dev('lonely-3', 'device-silent')), (err: Error & { kind?: string }) => {
        assert.equal(err.kind, 'ServiceUnavailable');
        assert.match(err.message, /device-silent did not answer/);
        return true;
      });
      const before = requests.length;
      await client.addDevice(dev('lonely-3', 'device-silent'), { bypassValidation: true });
      await assert.rejects(client.updateDevice({ name: 'lonely-3', operatingState: 'DOWN' }), /device-silent did not answer/);
      await client.updateDevice({ name: 'lonely-3', operatingState: 'DOWN' }, undefined, { bypassValidation: true });
      assert.equal((await client.getDevice('lonely-3')).operatingState, 'DOWN');
      assert.equal(requests.length, before, 'nothing was sent to a device service');
    } finally {
      client.close();
    }
  });
});
