/**
 * End to end against a real Net-SNMP agent: device-snmp with its shipped example profile, a real Mosquitto, and
 * the real core-metadata, core-data and core-command services. Commands go through core-command's EdgeX REST
 * API (core-command → bus → device-snmp → snmpd), traps are sent with the real `snmptrap` and read back from
 * core-data, and the agent's state is checked independently with `snmpget`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import type { CoreDataHandle } from '@edgex-ts/core-data';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { startTestCoreData } from '../../core-data/src/test-support/start.js';
import { startTestMetadata, type TestMetadata } from '../../core-metadata/src/test-support/harness.js';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freeUdpPort, sendInformV2c, sendTrapV1, sendTrapV2c, startSnmpd, type SnmpdAgent } from '../../../test/helpers/snmpd.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { RES_DIR, SnmpDriver, startDeviceSnmp } from './index.js';

const AGENT = 'SNMP-Agent-Localhost'; // the shipped example device, pointed at the test agent
const V3 = 'SNMP-V3-Agent';
const V1 = 'SNMP-V1-Agent';
const UNREACHABLE = 'SNMP-Unreachable';
const EXTRAS = 'SNMP-Test-Extras';
// Device.AllowedFails is 2 here: failing reads of one device would set it DOWN for the tests after, so they spread
const EXTRAS_2 = 'SNMP-Test-Extras-2';

const SYS_CONTACT = '1.3.6.1.2.1.1.4.0';
const HEARTBEAT_TRAP = '1.3.6.1.4.1.8072.2.3.0.1';
const HEARTBEAT_RATE = '1.3.6.1.4.1.8072.2.3.2.1';

let dir: string;
let agent: SnmpdAgent;
let broker: MosquittoBroker;
let metadata: TestMetadata;
let data: CoreDataHandle;
let command: CoreCommandHandle;
let ds: DeviceServiceHandle;
let trapPort: number;
const driver = new SnmpDriver();

/** A profile only these tests use: a resource the agent refuses to write, one with the wrong SET type, one it lacks, one without an oid. */
const EXTRAS_PROFILE = `
name: SNMP-Test-Extras
manufacturer: edgex-ts tests
deviceResources:
  - { name: DescrWritable, attributes: { oid: "1.3.6.1.2.1.1.1.0", community: private }, properties: { valueType: String, readWrite: RW } }
  - { name: ContactAsInt, attributes: { oid: "${SYS_CONTACT}", community: private }, properties: { valueType: Int32, readWrite: RW } }
  - { name: Missing, attributes: { oid: "1.3.6.1.4.1.99999.1.0", community: public }, properties: { valueType: String, readWrite: R } }
  - { name: MissingV1, attributes: { oid: "1.3.6.1.4.1.99999.1.0", community: public, version: "1" }, properties: { valueType: String, readWrite: R } }
  - { name: NoOid, attributes: { community: public }, properties: { valueType: String, readWrite: R } }
  - { name: IfTable, attributes: { oid: "1.3.6.1.2.1.2.2.1.2", walk: true, community: public }, properties: { valueType: Object, readWrite: R } }
`;

function writeDefinitions(): { profilesDir: string; devicesDir: string } {
  const profilesDir = join(dir, 'profiles');
  const devicesDir = join(dir, 'devices');
  mkdirSync(profilesDir);
  mkdirSync(devicesDir);
  writeFileSync(join(profilesDir, 'system-mib.yaml'), readFileSync(join(RES_DIR, 'profiles', 'snmp.system-mib.profile.yaml')));
  writeFileSync(join(profilesDir, 'extras.yaml'), EXTRAS_PROFILE);
  const shipped = readFileSync(join(RES_DIR, 'devices', 'snmp.devices.yaml'), 'utf8')
    .replace('Port: "161"', `Port: "${agent.port}"`)
    .replace(/interval: \d+s/, 'interval: 1h');
  assert.ok(shipped.includes(`Port: "${agent.port}"`));
  const v3 = agent.v3;
  const others = `
  - name: ${V3}
    profileName: SNMP-System-MIB
    protocols:
      TCP: { Address: 127.0.0.1, Port: ${agent.port}, Version: "3", SecurityName: ${v3.user}, AuthProtocol: SHA, AuthKey: ${v3.authKey}, PrivProtocol: AES, PrivKey: ${v3.privKey}, TrapAddress: 192.0.2.3 }
  - name: ${V1}
    profileName: SNMP-System-MIB
    protocols:
      TCP: { Address: 127.0.0.1, Port: "${agent.port}", Version: "1", Community: public, TrapAddress: 192.0.2.5 }
  - name: ${UNREACHABLE}
    profileName: SNMP-System-MIB
    protocols:
      TCP: { Address: 127.0.0.2, Port: "${agent.port}", Timeout: 200ms, Retries: "0" }
  - name: ${EXTRAS}
    profileName: SNMP-Test-Extras
    protocols:
      TCP: { Address: 127.0.0.1, Port: "${agent.port}", TrapAddress: 192.0.2.4 }
  - name: ${EXTRAS_2}
    profileName: SNMP-Test-Extras
    protocols:
      TCP: { Address: 127.0.0.1, Port: "${agent.port}", TrapAddress: 192.0.2.4 }
`;
  writeFileSync(join(devicesDir, 'devices.yaml'), shipped.trimEnd() + '\n' + others);
  return { profilesDir, devicesDir };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'device-snmp-test-'));
  agent = await startSnmpd();
  broker = await startMosquitto();
  metadata = await startTestMetadata({ dbPath: join(dir, 'metadata.db'), brokerPort: broker.port });
  data = await startTestCoreData({ dbPath: join(dir, 'data.db'), brokerPort: broker.port, clientId: `core-data-snmp-test-${process.pid}` });
  const clients = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.handle.restPort, GrpcPort: metadata.handle.grpcPort } };
  command = await startCoreCommand({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, RequestTimeout: '5s' },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `core-command-snmp-test-${process.pid}`, CleanSession: true } },
      Clients: clients,
    },
  });
  trapPort = await freeUdpPort();
  const { profilesDir, devicesDir } = writeDefinitions();
  ds = await startDeviceSnmp({
    argv: [],
    env: {},
    driver,
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `device-snmp-test-${process.pid}`, CleanSession: true } },
      Device: { ProfilesDir: profilesDir, DevicesDir: devicesDir, AllowedFails: 2, DeviceDownTimeout: '1h' },
      Driver: { TrapPort: String(trapPort), TrapBindAddress: '127.0.0.1' },
      Clients: clients,
    },
  });
  const provisioned = await ds.provisioned;
  assert.ok(provisioned, 'provisioning with core-metadata finished');
});

after(async () => {
  await ds?.stop();
  await command?.stop();
  await data?.stop();
  await metadata?.stop();
  await broker?.stop();
  await agent?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: any;
}

async function call(method: string, url: string, body?: unknown): Promise<Reply> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const commandUrl = (device: string, cmd: string) => `http://127.0.0.1:${command.restPort}/api/v3/device/name/${device}/${cmd}`;

async function getCommand(device: string, cmd: string): Promise<Reply> {
  return call('GET', commandUrl(device, cmd));
}

function readings(reply: Reply): Record<string, { value?: string; valueType: string; objectValue?: unknown }> {
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return Object.fromEntries(reply.body.event.readings.map((r: any) => [r.resourceName, r]));
}

describe('commands through core-command', () => {
  test('GET of sysDescr and sysUpTime reads the agent', async () => {
    const descr = readings(await getCommand(AGENT, 'SysDescr'));
    assert.deepEqual(descr.SysDescr, { ...descr.SysDescr, valueType: 'String', value: agent.sysDescr });
    const uptime = readings(await getCommand(AGENT, 'SysUpTime'));
    assert.equal(uptime.SysUpTime.valueType, 'Uint32');
    assert.match(uptime.SysUpTime.value!, /^\d+$/);
    assert.ok(Number(uptime.SysUpTime.value) > 0, 'the agent has been up for some hundredths of a second');
  });

  test('GET of a device command reads its resources (with two communities) in one go', async () => {
    const r = readings(await getCommand(AGENT, 'System'));
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k !== 'SysUpTime')
          .map(([k, v]) => [k, v.value]),
      ),
      { SysDescr: agent.sysDescr, SysContact: await agent.get(SYS_CONTACT), SysName: agent.sysName, SysLocation: agent.sysLocation },
    );
  });

  test('PUT sets the writable sysContact; GET and snmpget read it back', async () => {
    const contact = `ops-${process.pid}@example.com`;
    const put = await call('PUT', commandUrl(AGENT, 'SysContact'), { SysContact: contact });
    assert.deepEqual([put.status, put.body], [200, { apiVersion: 'v3', statusCode: 200 }]);
    assert.equal(await agent.get(SYS_CONTACT), contact);
    assert.equal(readings(await getCommand(AGENT, 'SysContact')).SysContact.value, contact);
  });

  test('a walk returns the interface names as one StringArray value', async () => {
    const r = readings(await getCommand(AGENT, 'InterfaceNames'));
    assert.equal(r.InterfaceNames.valueType, 'StringArray');
    assert.match(r.InterfaceNames.value!, /^\[lo(, [^,\]]+)*\]$/);
  });

  test('a walk into an Object keys the values by OID suffix', async () => {
    const r = readings(await getCommand(EXTRAS, 'IfTable'));
    assert.equal(r.IfTable.valueType, 'Object');
    assert.equal((r.IfTable.objectValue as Record<string, string>)['1'], 'lo');
  });

  test('SNMPv1 reads and walks (GETNEXT) the same agent; its error status comes back as noSuchName', async () => {
    assert.equal(readings(await getCommand(V1, 'SysName')).SysName.value, agent.sysName);
    assert.match(readings(await getCommand(V1, 'InterfaceNames')).InterfaceNames.value!, /^\[lo(, [^,\]]+)*\]$/);
    const put = await call('PUT', commandUrl(V1, 'SysContact'), { SysContact: 'v1@example.com' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(await agent.get(SYS_CONTACT), 'v1@example.com');
    const missing = await getCommand(EXTRAS_2, 'MissingV1'); // attributes.version "1" on a v2c device
    assert.equal(missing.status, 500);
    assert.match(
      missing.body.message,
      /SNMP GET of MissingV1 \(1\.3\.6\.1\.4\.1\.99999\.1\.0\) at 127\.0\.0\.1:\d+ failed: the agent answered noSuchName for 1\.3\.6\.1\.4\.1\.99999\.1\.0/,
    );
  });

  test('SNMPv3 (authPriv, SHA/AES) reads the same agent', async () => {
    assert.equal(readings(await getCommand(V3, 'SysName')).SysName.value, agent.sysName);
  });
});

describe('errors reach the caller', () => {
  test('the agent refusing a SET (notWritable, wrongType) is an error naming the resource, OID and status', async () => {
    const refused = await call('PUT', commandUrl(EXTRAS, 'DescrWritable'), { DescrWritable: 'nope' });
    assert.equal(refused.status, 500, JSON.stringify(refused.body));
    assert.match(
      refused.body.message,
      new RegExp(
        `device ${EXTRAS}: SNMP SET of DescrWritable \\(1\\.3\\.6\\.1\\.2\\.1\\.1\\.1\\.0\\) at 127\\.0\\.0\\.1:${agent.port} failed: the agent answered notWritable for 1\\.3\\.6\\.1\\.2\\.1\\.1\\.1\\.0`,
      ),
    );
    const wrongType = await call('PUT', commandUrl(EXTRAS, 'ContactAsInt'), { ContactAsInt: '5' });
    assert.equal(wrongType.status, 500);
    assert.match(wrongType.body.message, /SNMP SET of ContactAsInt .* failed: the agent answered wrongType/);
    assert.equal(await agent.get('1.3.6.1.2.1.1.1.0'), agent.sysDescr);
  });

  test('an OID the agent does not have is an error naming it (noSuchObject)', async () => {
    const r = await getCommand(EXTRAS_2, 'Missing');
    assert.equal(r.status, 500);
    assert.match(r.body.message, /deviceResource Missing: 1\.3\.6\.1\.4\.1\.99999\.1\.0: noSuchObject/);
  });

  test('a resource without an oid attribute is a clear error naming resource and attribute', async () => {
    const r = await getCommand(EXTRAS, 'NoOid');
    assert.equal(r.status, 400);
    assert.match(r.body.message, /deviceResource NoOid: attributes\.oid is required/);
  });

  test('an unreachable agent: a timeout error to the caller, the device DOWN after Device.AllowedFails, the service fine', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await getCommand(UNREACHABLE, 'SysDescr');
      assert.equal(r.status, 500, JSON.stringify(r.body));
      assert.match(
        r.body.message,
        /device SNMP-Unreachable: SNMP GET of SysDescr \(1\.3\.6\.1\.2\.1\.1\.1\.0\) at 127\.0\.0\.2:\d+ failed: no answer \(timed out after 1 attempt of 200 ms\)/,
      );
    }
    await waitFor('SNMP-Unreachable DOWN in core-metadata', async () => {
      const r = await call('GET', `${metadata.base}/device/name/${UNREACHABLE}`);
      return r.body?.device?.operatingState === 'DOWN';
    });
    assert.equal((await getCommand(UNREACHABLE, 'SysDescr')).status, 423);
    assert.equal(readings(await getCommand(AGENT, 'SysName')).SysName.value, agent.sysName);
  });

  test('core-metadata refuses a device whose protocol properties the driver cannot use', async () => {
    const r = await call('POST', `${metadata.base}/device`, [
      {
        apiVersion: 'v3',
        device: {
          name: 'SNMP-Bad-Port',
          serviceName: 'device-snmp',
          profileName: 'SNMP-System-MIB',
          adminState: 'UNLOCKED',
          operatingState: 'UP',
          protocols: { TCP: { Address: '127.0.0.1', Port: 'x' } },
        },
      },
    ]);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 500, JSON.stringify(r.body));
    assert.match(r.body[0].message, /protocols\.TCP\.Port = "x": expected a port 1\.\.65535/);
  });
});

describe('traps', () => {
  async function heartbeatReadings(): Promise<any[]> {
    const r = await call('GET', `http://127.0.0.1:${data.restPort}/api/v3/reading/device/name/${AGENT}/resourceName/HeartbeatRate`);
    return r.status === 200 ? r.body.readings : [];
  }

  test('a v2c trap sent with snmptrap lands in core-data as a reading of the matching resource', async () => {
    assert.equal(driver.trapPort, trapPort);
    await sendTrapV2c(trapPort, HEARTBEAT_TRAP, [[HEARTBEAT_RATE, 'i', '60']]);
    const stored = await waitFor('the HeartbeatRate reading in core-data', async () => (await heartbeatReadings()).find((r) => r.value === '60'));
    // only the resource the trap is about: not SysUpTime from the sysUpTime.0 that opens every v2c trap
    assert.deepEqual(driver.trapStats, { received: 1, readings: 1, unmatched: 0, rejected: 0 });
    assert.deepEqual(
      { deviceName: stored.deviceName, profileName: stored.profileName, valueType: stored.valueType },
      { deviceName: AGENT, profileName: 'SNMP-System-MIB', valueType: 'Int32' },
    );
  });

  test('a v1 trap is routed the same way', async () => {
    await sendTrapV1(trapPort, '1.3.6.1.4.1.8072.2.3', 1, [[HEARTBEAT_RATE, 'i', '61']]);
    await waitFor('the v1 trap reading in core-data', async () => (await heartbeatReadings()).some((r) => r.value === '61'));
  });

  test('an inform is acknowledged (snmpinform returns) and routed like a trap', async () => {
    await sendInformV2c(trapPort, HEARTBEAT_TRAP, [[HEARTBEAT_RATE, 'i', '62']]);
    await waitFor('the inform reading in core-data', async () => (await heartbeatReadings()).some((r) => r.value === '62'));
  });

  test('a trap nobody asked for is counted, not pushed, and the service keeps working', async () => {
    const before = driver.trapStats;
    await sendTrapV2c(trapPort, '1.3.6.1.6.3.1.1.5.3', [['1.3.6.1.2.1.2.2.1.1.7', 'i', '7']]);
    await waitFor('the unmatched trap counted', () => driver.trapStats.unmatched === before.unmatched + 1);
    assert.equal(driver.trapStats.readings, before.readings);
    const metrics = await (await fetch(`http://127.0.0.1:${ds.restPort}/metrics`)).text();
    assert.match(metrics, new RegExp(`device_snmp_traps\\{outcome="unmatched"[^}]*\\} ${before.unmatched + 1}\n`));
    assert.equal(readings(await getCommand(AGENT, 'SysDescr')).SysDescr.value, agent.sysDescr);
  });
});

describe('sessions', () => {
  test('one session per endpoint and credentials is reused; removing a device closes the sessions only it used', async () => {
    await getCommand(V3, 'SysName');
    const open = driver.openSessions;
    for (let i = 0; i < 3; i++) await getCommand(V3, 'SysDescr');
    assert.equal(driver.openSessions, open, 'repeated reads reuse the open sessions');
    // straight to device-snmp's REST port: concurrency of the driver, not of the bus round trip
    const together = await Promise.all(Array.from({ length: 10 }, () => call('GET', `http://127.0.0.1:${ds.restPort}/api/v3/device/name/${AGENT}/SysName`)));
    assert.deepEqual(new Set(together.map((r) => readings(r).SysName.value)), new Set([agent.sysName]), 'concurrent requests share a session');
    assert.equal(driver.openSessions, open);
    const r = await call('DELETE', `${metadata.base}/device/name/${V3}`);
    assert.equal(r.status, 200);
    await waitFor('the v3 session closed', () => driver.openSessions === open - 1);
    assert.equal(readings(await getCommand(AGENT, 'SysName')).SysName.value, agent.sysName);
  });
});
