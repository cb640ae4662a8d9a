/**
 * The shipped example profile and device load with the SDK and parse with the driver; profiles and devices
 * written for EdgeX device-snmp (string-valued `oid`/`community`/`size` attributes, string bounds, protocol
 * `TCP` with a string Port) load unchanged.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDevices, loadProfiles, type Protocols } from '@edgex-ts/device-sdk';
import { DRIVER_DEFAULTS, RES_DIR, SERVICE_NAME, parseEndpoint, parseResource } from './index.js';

test('res/: the example profile and device are valid for the SNMP driver', async () => {
  const profiles = await loadProfiles(`${RES_DIR}profiles`);
  const devices = await loadDevices(`${RES_DIR}devices`, SERVICE_NAME);
  assert.equal(profiles.length, 1);
  assert.equal(devices.length, 1);
  const profile = profiles[0].value;
  const device = devices[0].value;
  assert.equal(device.profileName, profile.name);
  assert.deepEqual(parseEndpoint(device.name, device.protocols as Protocols, DRIVER_DEFAULTS), {
    host: '127.0.0.1',
    port: 161,
    version: '2c',
    timeoutMs: 2000,
    retries: 1,
  });
  const specs = profile.deviceResources.map((r) =>
    parseResource({ deviceResourceName: r.name, attributes: r.attributes ?? {}, valueType: r.properties.valueType }),
  );
  assert.deepEqual(
    specs.map((s) => [s.resourceName, s.oid, s.community, s.walk, r(profile, s.resourceName)]),
    [
      ['SysDescr', '1.3.6.1.2.1.1.1.0', 'public', false, 'R'],
      ['SysUpTime', '1.3.6.1.2.1.1.3.0', 'public', false, 'R'],
      ['SysContact', '1.3.6.1.2.1.1.4.0', 'private', false, 'RW'],
      ['SysName', '1.3.6.1.2.1.1.5.0', 'public', false, 'R'],
      ['SysLocation', '1.3.6.1.2.1.1.6.0', 'public', false, 'R'],
      ['InterfaceNames', '1.3.6.1.2.1.2.2.1.2', 'public', true, 'R'],
      ['HeartbeatRate', '1.3.6.1.4.1.8072.2.3.2.1', undefined, false, 'R'],
    ],
  );
});

function r(profile: { deviceResources: { name: string; properties: { readWrite?: string } }[] }, name: string): string | undefined {
  return profile.deviceResources.find((x) => x.name === name)?.properties.readWrite;
}

/** Written the way EdgeX device-snmp's shipped profiles are (flow-style attribute maps, all values strings). */
const EDGEX_STYLE_PROFILE = `
name: "signal-tower"
manufacturer: "Example Corp"
model: "ST-1"
labels:
  - "signal tower"
description: "Signal tower accessed via SNMP"
deviceResources:
  -
    name: RedLampState
    description: "Red lamp state."
    isHidden: true
    attributes:
      { oid: "1.3.6.1.4.1.99999.4.1.2.1", community: "private", size: "4" }
    properties:
      valueType: "Int32"
      readWrite: "RW"
      minimum: "1"
      maximum: "5"
      defaultValue: "1"
  -
    name: Uptime
    description: "Uptime"
    attributes:
      { oid: "1.3.6.1.4.1.99999.16.1.1.0", community: "private"  }
    properties:
      valueType: "Uint64"
      readWrite: "R"
      minimum: "0"
      maximum: "18446744073709551615"
      defaultValue: "0"
deviceCommands:
  -
    name: RedLamp
    readWrite: "R"
    resourceOperations:
      - { deviceResource: "RedLampState" }
`;

const EDGEX_STYLE_DEVICES = `
deviceList:
  - name: "tower01"
    profileName: "signal-tower"
    description: "Signal tower"
    labels: [ "device-snmp-example" ]
    protocols:
      TCP:
        Address: "192.0.2.200"
        Port: "161"
    autoEvents:
      - { interval: "5s", onChange: false, sourceName: "RedLamp" }
`;

test('a profile and device written for EdgeX device-snmp load unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'snmp-edgex-style-'));
  try {
    mkdirSync(join(dir, 'profiles'));
    mkdirSync(join(dir, 'devices'));
    writeFileSync(join(dir, 'profiles', 'signal-tower.yaml'), EDGEX_STYLE_PROFILE);
    writeFileSync(join(dir, 'devices', 'devices.yaml'), EDGEX_STYLE_DEVICES);
    const [profile] = (await loadProfiles(join(dir, 'profiles'))).map((p) => p.value);
    const [device] = (await loadDevices(join(dir, 'devices'), SERVICE_NAME)).map((d) => d.value);
    assert.equal(profile.name, 'signal-tower');
    const specs = profile.deviceResources.map((x) =>
      parseResource({ deviceResourceName: x.name, attributes: x.attributes ?? {}, valueType: x.properties.valueType }),
    );
    assert.deepEqual(
      specs.map((s) => [s.resourceName, s.valueType, s.oid, s.community]),
      [
        ['RedLampState', 'Int32', '1.3.6.1.4.1.99999.4.1.2.1', 'private'],
        ['Uptime', 'Uint64', '1.3.6.1.4.1.99999.16.1.1.0', 'private'],
      ],
    );
    assert.deepEqual(parseEndpoint(device.name, device.protocols as Protocols, DRIVER_DEFAULTS), {
      host: '192.0.2.200',
      port: 161,
      version: '2c',
      timeoutMs: 2000,
      retries: 1,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
