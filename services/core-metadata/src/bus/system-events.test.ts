import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { decodeEnvelope, payloadJson } from '@edgex-ts/runtime';
import type { SystemEvent } from '@edgex-ts/contracts';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { BOOL_PROFILE, VIRTUAL_SERVICE, req, virtualDevice } from '../test-support/fixtures.js';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';

interface Received {
  topic: string;
  event: SystemEvent;
  contentType: string;
  correlationID: string;
}

describe('core-metadata system events on a real Mosquitto', () => {
  const tmp = tempDir();
  let broker: MosquittoBroker;
  let md: TestMetadata;
  let sub: mqtt.MqttClient;
  const received: Received[] = [];

  const arrived = (topic: string) =>
    waitFor(`system event on ${topic} (got ${received.map((r) => r.topic).join(', ')})`, () => received.find((r) => r.topic === topic));

  before(async () => {
    broker = await startMosquitto();
    sub = await mqtt.connectAsync(broker.url, { clientId: `sub-${process.pid}` });
    sub.on('message', (topic, payload) => {
      const env = decodeEnvelope(payload);
      received.push({ topic, event: payloadJson<SystemEvent>(env), contentType: env.contentType, correlationID: env.correlationID });
    });
    await sub.subscribeAsync('edgex/system-events/#', { qos: 1 });
    md = await startTestMetadata({ dbPath: join(tmp.dir, 'md.db'), brokerPort: broker.port });
  });
  after(async () => {
    await md?.stop();
    await sub?.endAsync();
    await broker?.stop();
    tmp.remove();
  });

  it('publishes add/update/delete with EdgeX topics and full DTO details', async () => {
    const correlationId = '0f4e2d1c-3b5a-4c6d-8e7f-9a0b1c2d3e4f';
    await md.raw('POST', '/deviceservice', {
      body: JSON.stringify([req('service', VIRTUAL_SERVICE)]),
      headers: { 'Content-Type': 'application/json', 'X-Correlation-ID': correlationId },
    });
    const svc = await arrived('edgex/system-events/core-metadata/deviceservice/add/device-virtual');
    assert.equal(svc.contentType, 'application/json');
    assert.equal(svc.correlationID, correlationId, 'the event carries the correlation id of the request');
    assert.equal(svc.event.apiVersion, 'v3');
    assert.equal(svc.event.source, 'core-metadata');
    assert.equal(svc.event.type, 'deviceservice');
    assert.equal(svc.event.action, 'add');
    assert.equal(svc.event.owner, 'device-virtual');
    assert.equal((svc.event.details as { baseAddress: string }).baseAddress, VIRTUAL_SERVICE.baseAddress);
    assert.ok(svc.event.timestamp > 1e18, 'timestamp in ns');

    await md.call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE)]);
    const prof = await arrived('edgex/system-events/core-metadata/deviceprofile/add/core-metadata/Random-Boolean-Device');
    assert.equal((prof.event.details as { name: string }).name, 'Random-Boolean-Device');

    // No device-virtual runs here to answer the validation request (device-validation.test.ts covers that).
    const r = await md.call('POST', '/device?bypassValidation=true', [req('device', virtualDevice('Bool-Device-1', 'Random-Boolean-Device'))]);
    const dev = await arrived('edgex/system-events/core-metadata/device/add/device-virtual/Random-Boolean-Device');
    const details = dev.event.details as { id: string; name: string; protocols: unknown; created: number };
    assert.equal(details.id, r.body[0].id);
    assert.equal(details.name, 'Bool-Device-1');
    assert.deepEqual(details.protocols, { other: { Address: 'device-virtual-int-01', Port: '300' } });
    assert.equal(typeof details.created, 'number');

    await md.call('PATCH', '/device?bypassValidation=true', [req('device', { name: 'Bool-Device-1', adminState: 'LOCKED' })]);
    const upd = await arrived('edgex/system-events/core-metadata/device/update/device-virtual/Random-Boolean-Device');
    assert.equal((upd.event.details as { adminState: string }).adminState, 'LOCKED');

    // A profile change reaches core-metadata's listeners and every device service using the profile.
    await md.call('PATCH', '/deviceprofile/basicinfo', [{ apiVersion: 'v3', basicinfo: { name: 'Random-Boolean-Device', model: 'M2' } }]);
    await arrived('edgex/system-events/core-metadata/deviceprofile/update/core-metadata/Random-Boolean-Device');
    const perService = await arrived('edgex/system-events/core-metadata/deviceprofile/update/device-virtual/Random-Boolean-Device');
    assert.equal((perService.event.details as { model: string }).model, 'M2');

    await md.call('DELETE', '/device/name/Bool-Device-1');
    const del = await arrived('edgex/system-events/core-metadata/device/delete/device-virtual/Random-Boolean-Device');
    assert.equal((del.event.details as { name: string }).name, 'Bool-Device-1');

    await md.call('POST', '/provisionwatcher', [
      req('provisionWatcher', {
        name: 'W1',
        serviceName: 'device-virtual',
        identifiers: { Address: '.*' },
        adminState: 'UNLOCKED',
        discoveredDevice: { profileName: 'Random-Boolean-Device', adminState: 'UNLOCKED' },
      }),
    ]);
    await arrived('edgex/system-events/core-metadata/provisionwatcher/add/device-virtual/Random-Boolean-Device');
    await md.call('DELETE', '/provisionwatcher/name/W1');
    await arrived('edgex/system-events/core-metadata/provisionwatcher/delete/device-virtual/Random-Boolean-Device');
    await md.call('DELETE', '/deviceprofile/name/Random-Boolean-Device');
    await arrived('edgex/system-events/core-metadata/deviceprofile/delete/core-metadata/Random-Boolean-Device');
    await md.call('DELETE', '/deviceservice/name/device-virtual');
    await arrived('edgex/system-events/core-metadata/deviceservice/delete/device-virtual');
  });

  it('keeps storing and answering while the broker is down', async () => {
    await broker.stop();
    const r = await md.call('POST', '/deviceservice', [req('service', { ...VIRTUAL_SERVICE, name: 'while-down' })]);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 201);
    const got = await md.call('GET', '/deviceservice/name/while-down');
    assert.equal(got.status, 200);
    await broker.restart();
  });
});
