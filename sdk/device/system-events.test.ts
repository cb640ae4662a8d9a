import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEnvelope } from '@edgex-ts/runtime';
import { dispatchSystemEvent, systemEventFilters, type SystemEventHandlers } from './system-events.js';

const device = { name: 'D-1', serviceName: 'svc', profileName: 'P', adminState: 'UNLOCKED', operatingState: 'UP', protocols: { other: { A: '1' } } };
const profile = { name: 'P', deviceResources: [{ name: 'R', properties: { valueType: 'Int8', readWrite: 'R' } }], deviceCommands: [] };
const systemEvent = (type: string, action: string, owner: string, details: unknown) =>
  newEnvelope({ apiVersion: 'v3', type, action, source: 'core-metadata', owner, details, timestamp: 1_700_000_000_000_000_000 });

function recorder() {
  const seen: string[] = [];
  const h: SystemEventHandlers = {
    deviceAdded: async (d) => void seen.push(`add ${d.name}`),
    deviceUpdated: async (d) => void seen.push(`update ${d.name}`),
    deviceDeleted: async (d) => void seen.push(`delete ${d.name}`),
    profileUpdated: async (p) => void seen.push(`profile update ${p.name}`),
    profileDeleted: async (p) => void seen.push(`profile delete ${p.name}`),
    serviceUpdated: async (s) => void seen.push(`service ${s.adminState}`),
  };
  return { seen, h };
}

test('topics: this service’s events and every profile deletion (EdgeX v3/v4 device SDK subscriptions)', () => {
  assert.deepEqual(systemEventFilters('edgex', 'svc'), [
    'edgex/system-events/core-metadata/+/+/svc/#',
    'edgex/system-events/core-metadata/deviceprofile/delete/#',
  ]);
});

test('device, profile and service events reach their handlers; profile deletes are taken from owner core-metadata', async () => {
  const { seen, h } = recorder();
  await dispatchSystemEvent(systemEvent('device', 'add', 'svc', device), 'svc', h);
  await dispatchSystemEvent(systemEvent('device', 'update', 'svc', { ...device, adminState: 'LOCKED' }), 'svc', h);
  await dispatchSystemEvent(systemEvent('deviceprofile', 'update', 'svc', profile), 'svc', h);
  await dispatchSystemEvent(systemEvent('deviceprofile', 'add', 'svc', profile), 'svc', h);
  await dispatchSystemEvent(systemEvent('deviceprofile', 'delete', 'core-metadata', profile), 'svc', h);
  await dispatchSystemEvent(systemEvent('deviceservice', 'update', 'svc', { name: 'svc', baseAddress: 'http://svc:1', adminState: 'LOCKED' }), 'svc', h);
  await dispatchSystemEvent(systemEvent('device', 'delete', 'svc', device), 'svc', h);
  assert.deepEqual(seen, ['add D-1', 'update D-1', 'profile update P', 'profile delete P', 'service LOCKED', 'delete D-1']);
});

test('foreign owners and malformed events are refused with the field named', async () => {
  const { seen, h } = recorder();
  await assert.rejects(dispatchSystemEvent(systemEvent('device', 'add', 'other-svc', device), 'svc', h), /systemEvent\.owner: other-svc is not this service/);
  await assert.rejects(dispatchSystemEvent(systemEvent('device', 'update', 'core-metadata', device), 'svc', h), /owner/);
  await assert.rejects(dispatchSystemEvent(systemEvent('device', 'add', 'svc', { ...device, protocols: 'x' }), 'svc', h), /systemEvent\.details\.protocols/);
  await assert.rejects(dispatchSystemEvent(systemEvent('device', 'explode', 'svc', device), 'svc', h), /systemEvent\.action/);
  await assert.rejects(dispatchSystemEvent(newEnvelope(Buffer.from('not json')), 'svc', h), /JSON|payload/i);
  assert.deepEqual(seen, []);
});
