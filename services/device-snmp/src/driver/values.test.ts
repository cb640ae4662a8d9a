/** SNMP ⇄ EdgeX value mapping: what a GET, walk or trap value becomes, and what a SET sends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { ObjectType, type Varbind } from './net-snmp.js';
import { inferSetType, octetsToString, readValue, walkValue, writeVarbind } from './values.js';

const OID = '1.3.6.1.4.1.99999.1.0';
const vb = (type: number, value: unknown, oid = OID): Varbind => ({ oid, type, value });
const read = (valueType: string, v: Varbind, encoding: 'auto' | 'text' | 'hex' = 'auto') => readValue({ resourceName: 'R', valueType, encoding }, v);

test('integers of every SNMP syntax read as Int/Uint types, 64-bit ones exactly as bigint', () => {
  assert.equal(read('Int32', vb(ObjectType.Integer, -5)), -5);
  assert.equal(read('Int8', vb(ObjectType.Integer, 127)), 127);
  assert.equal(read('Uint32', vb(ObjectType.TimeTicks, 4294967295)), 4294967295);
  assert.equal(read('Uint32', vb(ObjectType.Counter, 7)), 7);
  assert.equal(read('Uint16', vb(ObjectType.Gauge, 65535)), 65535);
  assert.equal(read('Int64', vb(ObjectType.Integer, -1)), -1n);
  // Counter64 arrives as big-endian bytes
  assert.equal(read('Uint64', vb(ObjectType.Counter64, Buffer.from('ffffffffffffffff', 'hex'))), 2n ** 64n - 1n);
  assert.equal(read('Uint64', vb(ObjectType.Counter64, Buffer.from('0100', 'hex'))), 256n);
  assert.equal(read('Float64', vb(ObjectType.Gauge, 42)), 42);
  assert.equal(read('String', vb(ObjectType.TimeTicks, 123)), '123');
});

test('an integer outside the resource type is an error naming resource, OID, syntax and range', () => {
  assert.throws(
    () => read('Int8', vb(ObjectType.Integer, 300)),
    /deviceResource R: 1\.3\.6\.1\.4\.1\.99999\.1\.0 is Integer, which cannot be read as Int8 \(300 is out of range -128\.\.127\)/,
  );
  assert.throws(() => read('Uint32', vb(ObjectType.Integer, -1)), /cannot be read as Uint32 \(-1 is out of range 0\.\.4294967295\)/);
  assert.throws(() => read('Int64', vb(ObjectType.Counter64, Buffer.from('ffffffffffffffff', 'hex'))), /out of range/);
});

test('OctetString reads as text, as hex when not printable (MAC addresses), or as Binary bytes', () => {
  assert.equal(read('String', vb(ObjectType.OctetString, Buffer.from('Linux host 6.1'))), 'Linux host 6.1');
  assert.equal(read('String', vb(ObjectType.OctetString, Buffer.from('Grüße'))), 'Grüße');
  assert.equal(read('String', vb(ObjectType.OctetString, Buffer.from([0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e]))), '00:1b:21:3c:4d:5e');
  assert.equal(read('String', vb(ObjectType.OctetString, Buffer.from('abc')), 'hex'), '61:62:63');
  assert.equal(read('String', vb(ObjectType.OctetString, Buffer.alloc(0))), '');
  assert.deepEqual(read('Binary', vb(ObjectType.OctetString, Buffer.from([1, 2, 255]))), new Uint8Array([1, 2, 255]));
  // numbers some agents keep in strings
  assert.equal(read('Int32', vb(ObjectType.OctetString, Buffer.from(' 42 '))), 42);
  assert.equal(read('Float32', vb(ObjectType.OctetString, Buffer.from('21.5'))), 21.5);
  assert.throws(() => read('Int32', vb(ObjectType.OctetString, Buffer.from('n/a'))), /OctetString, which cannot be read as Int32/);
  assert.equal(octetsToString(Buffer.from([0xff, 0xfe]), 'auto'), 'ff:fe');
});

test('OID and IpAddress read as strings; TruthValue and Boolean as Bool', () => {
  assert.equal(read('String', vb(ObjectType.OID, '1.3.6.1.4.1.8072.3.2.10')), '1.3.6.1.4.1.8072.3.2.10');
  assert.equal(read('String', vb(ObjectType.IpAddress, '192.0.2.7')), '192.0.2.7');
  assert.equal(read('Bool', vb(ObjectType.Integer, 1)), true);
  assert.equal(read('Bool', vb(ObjectType.Integer, 2)), false);
  assert.equal(read('Bool', vb(ObjectType.Boolean, true)), true);
  assert.throws(() => read('Bool', vb(ObjectType.Integer, 7)), /TruthValue/);
  assert.throws(() => read('Binary', vb(ObjectType.IpAddress, '192.0.2.7')), /IpAddress, which cannot be read as Binary/);
});

test('noSuchObject, noSuchInstance and endOfMibView are errors naming the OID', () => {
  assert.throws(() => read('String', vb(ObjectType.NoSuchObject, null)), /1\.3\.6\.1\.4\.1\.99999\.1\.0: noSuchObject/);
  assert.throws(() => read('String', vb(ObjectType.NoSuchInstance, null)), /noSuchInstance/);
  assert.throws(() => read('String', vb(ObjectType.EndOfMibView, null)), /endOfMibView/);
});

test('a walk becomes an object keyed by OID suffix, rows, or an array of the element type', () => {
  const base = '1.3.6.1.2.1.2.2.1.2';
  const rows = [vb(ObjectType.OctetString, Buffer.from('lo'), `${base}.1`), vb(ObjectType.OctetString, Buffer.from('eth0'), `${base}.2`)];
  const spec = (valueType: string) => ({ resourceName: 'IfDescr', valueType, encoding: 'auto' as const, oid: base });
  assert.deepEqual(walkValue(spec('StringArray'), rows), ['lo', 'eth0']);
  assert.deepEqual(walkValue(spec('Object'), rows), { '1': 'lo', '2': 'eth0' });
  assert.deepEqual(walkValue(spec('ObjectArray'), rows), [
    { oid: `${base}.1`, type: 'OctetString', value: 'lo' },
    { oid: `${base}.2`, type: 'OctetString', value: 'eth0' },
  ]);
  const counters = [vb(ObjectType.Counter, 5, '1.3.6.1.2.1.2.2.1.10.1'), vb(ObjectType.Counter, 9, '1.3.6.1.2.1.2.2.1.10.2')];
  assert.deepEqual(walkValue({ ...spec('Uint32Array'), oid: '1.3.6.1.2.1.2.2.1.10' }, counters), [5, 9]);
  assert.deepEqual(walkValue({ ...spec('Uint64Array'), oid: '1.3.6.1.2.1.2.2.1.10' }, counters), [5n, 9n]);
  assert.deepEqual(walkValue(spec('StringArray'), []), []);
  assert.throws(() => walkValue(spec('Int8Array'), rows), /OctetString, which cannot be read as Int8/);
});

test('SET infers the SNMP syntax from the value type', () => {
  assert.equal(inferSetType('Int32'), 'Integer');
  assert.equal(inferSetType('Bool'), 'Integer');
  assert.equal(inferSetType('Uint32'), 'Gauge');
  assert.equal(inferSetType('Uint64'), 'Counter64');
  assert.equal(inferSetType('String'), 'OctetString');
  assert.equal(inferSetType('Binary'), 'OctetString');
  assert.equal(inferSetType('Float32'), undefined);

  const spec = (valueType: string, snmpType?: Parameters<typeof writeVarbind>[0]['snmpType']) => ({
    resourceName: 'W',
    valueType,
    oid: OID,
    walk: false,
    snmpType,
  });
  assert.deepEqual(writeVarbind(spec('Int32'), -7), { oid: OID, type: ObjectType.Integer, value: -7 });
  assert.deepEqual(writeVarbind(spec('Bool'), true), { oid: OID, type: ObjectType.Integer, value: 1 });
  assert.deepEqual(writeVarbind(spec('Bool'), false), { oid: OID, type: ObjectType.Integer, value: 2 });
  assert.deepEqual(writeVarbind(spec('Uint32'), 4294967295), { oid: OID, type: ObjectType.Gauge, value: 4294967295 });
  assert.deepEqual(writeVarbind(spec('String'), 'ops@example.com'), { oid: OID, type: ObjectType.OctetString, value: Buffer.from('ops@example.com') });
  assert.deepEqual(writeVarbind(spec('Binary'), new Uint8Array([0, 1])), { oid: OID, type: ObjectType.OctetString, value: Buffer.from([0, 1]) });
  assert.deepEqual(writeVarbind(spec('Uint64'), 2n ** 64n - 1n), { oid: OID, type: ObjectType.Counter64, value: Buffer.from('ffffffffffffffff', 'hex') });
});

test('SET honours snmpType and refuses values that do not fit it, naming the resource', () => {
  const spec = (valueType: string, snmpType?: Parameters<typeof writeVarbind>[0]['snmpType']) => ({
    resourceName: 'W',
    valueType,
    oid: OID,
    walk: false,
    snmpType,
  });
  assert.deepEqual(writeVarbind(spec('Uint32', 'TimeTicks'), 100), { oid: OID, type: ObjectType.TimeTicks, value: 100 });
  assert.deepEqual(writeVarbind(spec('String', 'IpAddress'), '192.0.2.1'), { oid: OID, type: ObjectType.IpAddress, value: '192.0.2.1' });
  assert.deepEqual(writeVarbind(spec('String', 'OID'), '.1.3.6.1.4.1'), { oid: OID, type: ObjectType.OID, value: '1.3.6.1.4.1' });
  assert.deepEqual(writeVarbind(spec('Float64', 'OctetString'), 21.5), { oid: OID, type: ObjectType.OctetString, value: Buffer.from('21.5') });
  assert.deepEqual(writeVarbind(spec('Float64', 'Integer'), 21), { oid: OID, type: ObjectType.Integer, value: 21 });

  const refused = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && message.test(err.message));
  refused(() => writeVarbind(spec('Float64', 'Integer'), 21.5), /deviceResource W: 21.5 cannot be sent as SNMP Integer: expected an integer/);
  refused(() => writeVarbind(spec('Float32'), 1.5), /deviceResource W: valueType Float32 has no SNMP syntax; set attributes.snmpType/);
  refused(() => writeVarbind(spec('Int64', 'Integer'), 2n ** 40n), /out of range -2147483648\.\.2147483647/);
  refused(() => writeVarbind(spec('Int32', 'Gauge'), -1), /cannot be sent as SNMP Gauge: out of range 0\.\.4294967295/);
  refused(() => writeVarbind(spec('String', 'IpAddress'), 'not-an-ip'), /expected an IPv4 address/);
  refused(() => writeVarbind({ ...spec('StringArray'), walk: true }, ['x']), /a walk resource cannot be written/);
});
