/** The session pool against a real snmpd: bursts within the in-flight limit, failures in words, closing. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSnmpd, type SnmpdAgent } from '../../../../test/helpers/snmpd.js';
import { ObjectType } from './net-snmp.js';
import { explainFailure, SessionPool, targetOf } from './sessions.js';

let agent: SnmpdAgent;
before(async () => {
  agent = await startSnmpd();
});
after(async () => {
  await agent?.stop();
});

const endpoint = () => ({ host: '127.0.0.1', port: agent.port, version: '2c' as const, timeoutMs: 2000, retries: 0 });
const SYS_NAME = '1.3.6.1.2.1.1.5.0';

test('a burst of 300 GETs on one session all get answers without a single retry (in-flight limit)', async () => {
  const pool = new SessionPool(undefined, 8);
  try {
    const target = targetOf(endpoint(), { community: 'public' });
    const answers = await Promise.all(Array.from({ length: 300 }, () => pool.get('d', target, [SYS_NAME])));
    assert.deepEqual(new Set(answers.map((vb) => String(vb[0].value))), new Set([agent.sysName]));
    assert.equal(pool.size, 1);
  } finally {
    pool.closeAll();
  }
});

test('the agent refusing a request or not answering is explained in words', async () => {
  const pool = new SessionPool(undefined);
  try {
    const writer = targetOf(endpoint(), { community: 'private' });
    const refused = await pool.set('d', writer, [{ oid: '1.3.6.1.2.1.1.1.0', type: ObjectType.OctetString, value: Buffer.from('x') }]).catch((e: unknown) => e);
    assert.equal(explainFailure(refused, writer), 'the agent answered notWritable for 1.3.6.1.2.1.1.1.0');
    // a community the agent does not know: snmpd drops the request silently
    const stranger = targetOf({ ...endpoint(), timeoutMs: 100, retries: 1 }, { community: 'unknown' });
    const silent = await pool.get('d', stranger, [SYS_NAME]).catch((e: unknown) => e);
    assert.equal(explainFailure(silent, stranger), 'no answer (timed out after 2 attempts of 100 ms)');
  } finally {
    pool.closeAll();
  }
});

test('sessions are per credentials; releasing a device closes only the sessions no other device uses', async () => {
  const pool = new SessionPool(undefined);
  try {
    const reader = targetOf(endpoint(), { community: 'public' });
    const writer = targetOf(endpoint(), { community: 'private' });
    await pool.get('a', reader, [SYS_NAME]);
    await pool.get('b', reader, [SYS_NAME]);
    await pool.get('b', writer, [SYS_NAME]);
    assert.equal(pool.size, 2);
    pool.releaseDevice('b');
    assert.equal(pool.size, 1, 'the public session stays for device a');
    assert.equal(String((await pool.get('a', reader, [SYS_NAME]))[0].value), agent.sysName);
    pool.releaseDevice('a');
    assert.equal(pool.size, 0);
  } finally {
    pool.closeAll();
  }
});
