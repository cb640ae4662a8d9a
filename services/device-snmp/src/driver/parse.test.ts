/** Protocol properties, resource attributes and Driver settings: accepted forms and errors naming the field. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import type { CommandRequest } from '@edgex-ts/device-sdk';
import { parseResource } from './attributes.js';
import { driverSettingsOf, DRIVER_DEFAULTS } from './driver-config.js';
import { parseEndpoint } from './protocol.js';

const defaults = { timeoutMs: 2000, retries: 1 };
const req = (attributes: Record<string, unknown>, valueType = 'String'): CommandRequest => ({ deviceResourceName: 'Res', attributes, valueType });

function invalid(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EdgeXError, String(err));
    assert.equal(err.kind, 'ContractInvalid');
    assert.match(err.message, message);
    return true;
  });
}

test('EdgeX device-snmp protocol properties: TCP Address and Port as string or number, default port 161', () => {
  assert.deepEqual(parseEndpoint('d', { TCP: { Address: '192.0.2.10', Port: '1161' } }, defaults), {
    host: '192.0.2.10',
    port: 1161,
    version: '2c',
    timeoutMs: 2000,
    retries: 1,
  });
  assert.equal(parseEndpoint('d', { TCP: { Address: 'agent.local', Port: 161 } }, defaults).port, 161);
  assert.equal(parseEndpoint('d', { TCP: { Address: 'agent.local' } }, defaults).port, 161);
  assert.equal(parseEndpoint('d', { tcp: { Address: 'agent.local', Port: '' } }, defaults).port, 161);
});

test('extras: Version, Community, Timeout, Retries, TrapAddress, SNMPv3 user', () => {
  const e = parseEndpoint(
    'd',
    { TCP: { Address: '::1', Port: '161', Version: 'v1', Community: 'ops', Timeout: '500ms', Retries: '3', TrapAddress: '192.0.2.99' } },
    defaults,
  );
  assert.deepEqual(e, { host: '::1', port: 161, version: '1', community: 'ops', timeoutMs: 500, retries: 3, trapAddress: '192.0.2.99' });
  assert.equal(parseEndpoint('d', { TCP: { Address: 'a', Timeout: '1.5' } }, defaults).timeoutMs, 1500);
  const v3 = parseEndpoint(
    'd',
    { TCP: { Address: 'a', Version: '3', SecurityName: 'u', AuthKey: 'authpass', PrivKey: 'privpass', AuthProtocol: 'SHA256' } },
    defaults,
  );
  assert.deepEqual(v3.usm, {
    user: 'u',
    level: 'authPriv',
    context: '',
    authProtocol: 'sha256',
    authKey: 'authpass',
    privProtocol: 'aes',
    privKey: 'privpass',
  });
  const noAuth = parseEndpoint('d', { TCP: { Address: 'a', Version: '3', User: 'u' } }, defaults);
  assert.deepEqual(noAuth.usm, { user: 'u', level: 'noAuthNoPriv', context: '' });
});

test('bad protocol properties: errors name the device and the property', () => {
  invalid(() => parseEndpoint('d1', {}, defaults), /device d1: no TCP protocol properties/);
  invalid(() => parseEndpoint('d1', { TCP: { Port: '161' } }, defaults), /device d1: protocols\.TCP\.Address: required/);
  invalid(() => parseEndpoint('d1', { TCP: { Address: 'a', Port: '70000' } }, defaults), /protocols\.TCP\.Port = "70000": expected a port 1\.\.65535/);
  invalid(() => parseEndpoint('d1', { TCP: { Address: 'a', Version: '4' } }, defaults), /protocols\.TCP\.Version = "4": expected 1, 2c or 3/);
  invalid(() => parseEndpoint('d1', { TCP: { Address: 'a', Timeout: 'soon' } }, defaults), /protocols\.TCP\.Timeout = "soon"/);
  invalid(() => parseEndpoint('d1', { TCP: { Address: 'a', Version: '3' } }, defaults), /protocols\.TCP\.SecurityName: required for SNMP version 3/);
  invalid(
    () => parseEndpoint('d1', { TCP: { Address: 'a', Version: '3', SecurityName: 'u', SecurityLevel: 'authPriv', AuthKey: 'x' } }, defaults),
    /protocols\.TCP\.PrivKey: required for SecurityLevel authPriv/,
  );
  invalid(
    () => parseEndpoint('d1', { TCP: { Address: 'a', Version: '3', SecurityName: 'u', AuthKey: 'x', AuthProtocol: 'crc32' } }, defaults),
    /protocols\.TCP\.AuthProtocol = "crc32": expected one of md5, sha/,
  );
});

test('EdgeX device-snmp attributes load unchanged: oid, community, size (strings)', () => {
  assert.deepEqual(parseResource(req({ oid: '1.3.6.1.4.1.20440.4.1.5.1.2.1.2.1', community: 'private', size: '4' }, 'Int32')), {
    resourceName: 'Res',
    valueType: 'Int32',
    oid: '1.3.6.1.4.1.20440.4.1.5.1.2.1.2.1',
    community: 'private',
    walk: false,
    encoding: 'auto',
  });
  assert.equal(parseResource(req({ oid: '.1.3.6.1.2.1.1.1.0' })).oid, '1.3.6.1.2.1.1.1.0');
});

test('extras: walk, snmpType, version, encoding', () => {
  const s = parseResource(req({ oid: '1.3.6.1.2.1.2.2.1.2', walk: 'true', encoding: 'HEX', version: '1' }, 'StringArray'));
  assert.deepEqual([s.walk, s.encoding, s.version], [true, 'hex', '1']);
  assert.equal(parseResource(req({ oid: '1.3.6.1.2.1.1.3.0', snmpType: 'timeticks' }, 'Uint32')).snmpType, 'TimeTicks');
  assert.equal(parseResource(req({ oid: '1.3.6.1.2.1.1.3.0', snmpType: 'Unsigned32' }, 'Uint32')).snmpType, 'Gauge');
});

test('bad attributes: errors name the resource and the attribute', () => {
  invalid(() => parseResource(req({})), /deviceResource Res: attributes\.oid is required/);
  invalid(() => parseResource(req({ oid: 'sysDescr.0' })), /deviceResource Res: attributes\.oid = "sysDescr\.0": expected a numeric OID/);
  invalid(() => parseResource(req({ oid: { a: 1 } })), /deviceResource Res: attributes\.oid = \{"a":1\}/);
  invalid(() => parseResource(req({ oid: '1.3.6', walk: 'yes' })), /attributes\.walk = "yes": expected true or false/);
  invalid(
    () => parseResource(req({ oid: '1.3.6', walk: true }, 'Int32')),
    /attributes\.walk = true: expected valueType Object, ObjectArray or an array type for a walk \(the resource has Int32\)/,
  );
  invalid(() => parseResource(req({ oid: '1.3.6', snmpType: 'Float' })), /attributes\.snmpType = "Float": expected one of/);
  invalid(() => parseResource(req({ oid: '1.3.6', encoding: 'base64' })), /attributes\.encoding = "base64": expected auto, text or hex/);
});

test('Driver settings: defaults, overrides, errors naming the key', () => {
  assert.deepEqual(driverSettingsOf({}), DRIVER_DEFAULTS);
  assert.deepEqual(
    driverSettingsOf({
      TrapPort: '1162',
      Timeout: '750ms',
      Retries: '0',
      TrapCommunities: 'public, traps',
      MaxRepetitions: '50',
      MaxInFlight: '2',
      TrapBindAddress: '127.0.0.1',
    }),
    {
      timeoutMs: 750,
      retries: 0,
      trapPort: 1162,
      trapBindAddress: '127.0.0.1',
      trapCommunities: ['public', 'traps'],
      maxRepetitions: 50,
      maxInFlight: 2,
    },
  );
  invalid(() => driverSettingsOf({ TrapPort: 'x' }), /Driver\.TrapPort = 'x': expected an integer 0\.\.65535/);
  invalid(() => driverSettingsOf({ TrapBindAddress: 'everywhere' }), /Driver\.TrapBindAddress = 'everywhere'/);
  invalid(() => driverSettingsOf({ Retries: '-1' }), /Driver\.Retries = "-1": expected an integer 0\.\.10/);
});
