import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { loadDevices, loadProfiles } from './files.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'device-files-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const PROFILE = `
name: Sensor
manufacturer: Acme
deviceResources:
  - name: Temperature
    properties: { valueType: Float32, readWrite: R, units: C, minimum: "-40", maximum: 85 }
deviceCommands:
  - name: All
    readWrite: R
    resourceOperations: [{ deviceResource: Temperature }]
`;

test('loads profiles from YAML and JSON files, ignoring other files', async () => {
  const d = dir({
    'a.yaml': PROFILE,
    'b.json': JSON.stringify({ name: 'Other', deviceResources: [{ name: 'X', properties: { valueType: 'Bool', readWrite: 'RW' } }] }),
    'notes.txt': 'not a profile',
  });
  const loaded = await loadProfiles(d);
  assert.deepEqual(
    loaded.map((l) => l.value.name),
    ['Sensor', 'Other'],
  );
  assert.equal(loaded[0].value.deviceResources[0].properties.minimum, -40);
  assert.equal(loaded[0].file, join(d, 'a.yaml'));
  assert.deepEqual(await loadProfiles(join(d, 'missing')), [], 'a missing folder holds no profiles');
});

test('profile errors name the file and the field', async () => {
  const d = dir({ 'bad.yml': PROFILE.replace('valueType: Float32', 'valueType: Float128') });
  await assert.rejects(loadProfiles(d), (err: unknown) => {
    assert.ok(err instanceof EdgeXError && err.kind === 'ContractInvalid');
    assert.match(err.message, /bad\.yml: deviceResources\[0\]\.properties\.valueType/);
    return true;
  });
  const syntax = dir({ 'broken.yaml': 'name: [unclosed' });
  await assert.rejects(loadProfiles(syntax), /broken\.yaml: not valid YAML/);
  const dup = dir({ 'one.yaml': PROFILE, 'two.yaml': PROFILE });
  await assert.rejects(loadProfiles(dup), /two\.yaml: name: profile "Sensor" is already defined in .*one\.yaml/);
});

test('loads devices from deviceList YAML and JSON arrays, forcing service name and states', async () => {
  const d = dir({
    'devices.yaml': `
deviceList:
  - name: Sensor-1
    profileName: Sensor
    serviceName: someone-else
    adminState: LOCKED
    protocols: { other: { Address: sensor-1, Port: 300 } }
    autoEvents: [{ interval: 10s, sourceName: Temperature }]
`,
    'more.json': JSON.stringify([{ name: 'Sensor-2', profileName: 'Sensor', protocols: { other: { Address: 'x' } } }]),
  });
  const loaded = await loadDevices(d, 'device-test');
  assert.deepEqual(
    loaded.map((l) => l.value.name),
    ['Sensor-1', 'Sensor-2'],
  );
  for (const { value } of loaded) {
    assert.equal(value.serviceName, 'device-test');
    assert.equal(value.adminState, 'UNLOCKED');
    assert.equal(value.operatingState, 'UP');
  }
  assert.deepEqual(loaded[0].value.autoEvents, [{ interval: '10s', sourceName: 'Temperature' }]);
});

test('device errors name the file and the field', async () => {
  const bad = dir({
    'devices.yaml': `
deviceList:
  - name: Ok
    profileName: Sensor
    protocols: { other: {} }
  - name: Bad
    profileName: Sensor
    protocols: { other: {} }
    autoEvents: [{ interval: ten seconds, sourceName: Temperature }]
`,
  });
  await assert.rejects(loadDevices(bad, 'svc'), /devices\.yaml: deviceList\[1\]\.autoEvents\[0\]\.interval: invalid duration/);
  const noProtocols = dir({ 'd.json': JSON.stringify([{ name: 'X', profileName: 'P' }]) });
  await assert.rejects(loadDevices(noProtocols, 'svc'), /d\.json: \[0\]\.protocols: /);
  const noList = dir({ 'd.yaml': 'devices: []' });
  await assert.rejects(loadDevices(noList, 'svc'), /d\.yaml: deviceList: expected a top-level deviceList array/);
  const dup = dir({
    'a.yaml': 'deviceList: [{name: X, profileName: P, protocols: {o: {}}}]',
    'b.yaml': 'deviceList: [{name: X, profileName: P, protocols: {o: {}}}]',
  });
  await assert.rejects(loadDevices(dup, 'svc'), /b\.yaml: deviceList\[0\]\.name: device "X" is already defined/);
});
