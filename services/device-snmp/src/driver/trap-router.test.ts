/** What of a trap is matched against resources, and how sender addresses compare. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectType } from './net-snmp.js';
import { payloadVarbinds, plainAddress } from './trap-router.js';

test('the sysUpTime.0 and snmpTrapOID.0 that open a v2c trap are not matched against resources', () => {
  const upTime = { oid: '1.3.6.1.2.1.1.3.0', type: ObjectType.TimeTicks, value: 12 };
  const trapOid = { oid: '1.3.6.1.6.3.1.1.4.1.0', type: ObjectType.OID, value: '1.3.6.1.4.1.8072.2.3.0.1' };
  const rate = { oid: '1.3.6.1.4.1.8072.2.3.2.1', type: ObjectType.Integer, value: 60 };
  assert.deepEqual(payloadVarbinds([upTime, trapOid, rate]), [rate]);
  // a v1 trap has no such header: a sysUpTime varbind later in the list is payload
  assert.deepEqual(payloadVarbinds([rate, upTime]), [rate, upTime]);
  assert.deepEqual(payloadVarbinds([]), []);
});

test('IPv4-mapped IPv6 senders compare as their IPv4 address', () => {
  assert.equal(plainAddress('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(plainAddress('192.0.2.1'), '192.0.2.1');
  assert.equal(plainAddress('2001:db8::1'), '2001:db8::1');
});
