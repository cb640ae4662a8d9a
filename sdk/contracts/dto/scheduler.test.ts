import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '../errors.js';
import {
  AddIntervalActionRequestSchema,
  AddIntervalRequestSchema,
  AddScheduleJobRequestSchema,
  UpdateScheduleJobRequestSchema,
  intervalDatetimeMs,
  parseDto,
  restAddressUrl,
  scheduleJobWire,
} from './index.js';

/** Asserts parseDto fails with ContractInvalid and a message matching `re`. */
function rejects(schema: Parameters<typeof parseDto>[0], body: unknown, re: RegExp): void {
  assert.throws(
    () => parseDto(schema, body, 'request'),
    (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && re.test(err.message),
  );
}

const job = (
  extra: Record<string, unknown> = {},
  action: Record<string, unknown> = { type: 'REST', address: 'http://localhost:59880/api/v3/ping', method: 'GET' },
) => ({
  apiVersion: 'v3',
  scheduleJob: { name: 'ping', definition: { type: 'INTERVAL', interval: '10s' }, actions: [action], ...extra },
});

test('an EdgeX v4 job is read as EdgeX reads it: empty adminState is UNLOCKED, null lists are absent', () => {
  const parsed = parseDto(AddScheduleJobRequestSchema, job({ adminState: '', labels: null, properties: null }), 'request');
  assert.equal(parsed.scheduleJob.adminState, 'UNLOCKED');
  assert.equal(parsed.scheduleJob.labels, undefined);
});

test('a payload is Base64 when it is valid Base64, else its text; an object is its JSON', () => {
  const of = (p: unknown) =>
    parseDto(AddScheduleJobRequestSchema, job({}, { type: 'EDGEXMESSAGEBUS', topic: 't', payload: p }), 'r').scheduleJob.actions[0].payload;
  assert.equal(of('aGVsbG8='), 'aGVsbG8=');
  assert.equal(Buffer.from(of('hello world')!, 'base64').toString(), 'hello world');
  assert.deepEqual(JSON.parse(Buffer.from(of({ a: 1 })!, 'base64').toString()), { a: 1 });
});

test('a PATCH with an empty adminState leaves it unchanged', () => {
  const parsed = parseDto(UpdateScheduleJobRequestSchema, { apiVersion: 'v3', scheduleJob: { name: 'j', adminState: '', labels: null } }, 'r');
  assert.equal(parsed.scheduleJob.adminState, undefined);
  assert.equal(parsed.scheduleJob.labels, undefined);
});

test('bad jobs are refused naming the field', () => {
  rejects(AddScheduleJobRequestSchema, job({ definition: { type: 'INTERVAL', interval: 'often' } }), /scheduleJob\.definition\.interval: invalid duration/);
  rejects(AddScheduleJobRequestSchema, job({ definition: { type: 'CRON' } }), /scheduleJob\.definition\.crontab: is required when type is CRON/);
  rejects(AddScheduleJobRequestSchema, job({ definition: { type: 'DAILY' } }), /scheduleJob\.definition\.type: expected INTERVAL or CRON/);
  rejects(
    AddScheduleJobRequestSchema,
    job({ definition: { type: 'INTERVAL', interval: '1s', startTimestamp: 10, endTimestamp: 5 } }),
    /endTimestamp: must be greater/,
  );
  rejects(
    AddScheduleJobRequestSchema,
    job({}, { type: 'SMOKE_SIGNAL' }),
    /scheduleJob\.actions\[0\]\.type: expected one of EDGEXMESSAGEBUS, REST, DEVICECONTROL/,
  );
  rejects(
    AddScheduleJobRequestSchema,
    job({}, { type: 'REST', address: 'not a url', method: 'GET' }),
    /scheduleJob\.actions\[0\]\.address: must be an http or https URL/,
  );
  rejects(AddScheduleJobRequestSchema, job({}, { type: 'REST', address: 'http://x:1/', method: 'FETCH' }), /actions\[0\]\.method: expected one of GET/);
  rejects(AddScheduleJobRequestSchema, job({}, { type: 'DEVICECONTROL', sourceName: 'x' }), /actions\[0\]\.deviceName: is required when type is DEVICECONTROL/);
  rejects(AddScheduleJobRequestSchema, job({}, { type: 'DEVICECONTROL', deviceName: 'd' }), /actions\[0\]\.sourceName: is required/);
  rejects(AddScheduleJobRequestSchema, job({}, { type: 'EDGEXMESSAGEBUS' }), /actions\[0\]\.topic: is required/);
  rejects(
    AddScheduleJobRequestSchema,
    job({}, { type: 'DEVICECONTROL', deviceName: 'd', sourceName: 's', payload: 'on' }),
    /actions\[0\]\.payload: expected a JSON object/,
  );
  rejects(AddScheduleJobRequestSchema, job({ actions: [] }), /scheduleJob\.actions: must hold at least one action/);
  rejects(UpdateScheduleJobRequestSchema, { apiVersion: 'v3', scheduleJob: { adminState: 'LOCKED' } }, /scheduleJob\.name: id or name is required/);
});

test('v3 intervals: start/end as YYYYMMDDTHHMMSS in local time, a Go duration', () => {
  assert.equal(intervalDatetimeMs('20180101T000000'), new Date(2018, 0, 1).getTime());
  assert.equal(intervalDatetimeMs('20180230T000000'), undefined);
  parseDto(AddIntervalRequestSchema, { apiVersion: 'v3', interval: { name: 'midnight', start: '20180101T000000', interval: '24h' } }, 'r');
  rejects(
    AddIntervalRequestSchema,
    { apiVersion: 'v3', interval: { name: 'x', start: '2018-01-01', interval: '24h' } },
    /request\.interval\.start: expected a date/,
  );
  rejects(AddIntervalRequestSchema, { apiVersion: 'v3', interval: { name: 'x', interval: '24 hours' } }, /request\.interval\.interval: invalid duration/);
  rejects(AddIntervalRequestSchema, { apiVersion: 'v3', interval: { name: 'x' } }, /request\.interval\.interval: is required/);
});

test('v3 interval actions call a REST address that makes a URL', () => {
  const action = (address: Record<string, unknown>) => ({
    apiVersion: 'v3',
    action: {
      name: 'scrub',
      intervalName: 'midnight',
      adminState: 'UNLOCKED',
      address: { type: 'REST', host: 'localhost', port: 59880, httpMethod: 'DELETE', ...address },
    },
  });
  const ok = parseDto(AddIntervalActionRequestSchema, action({ path: '/api/v3/event/age/1' }), 'r');
  assert.equal(restAddressUrl(ok.action.address), 'http://localhost:59880/api/v3/event/age/1');
  rejects(AddIntervalActionRequestSchema, action({ type: 'MQTT' }), /request\.action\.address\.type: expected REST/);
  rejects(AddIntervalActionRequestSchema, action({ host: 'bad host' }), /request\.action\.address\.host: host, port and path do not make a URL/);
  rejects(AddIntervalActionRequestSchema, action({ port: 0 }), /request\.action\.address\.port/);
  rejects(AddIntervalActionRequestSchema, action({ httpMethod: 'YELL' }), /request\.action\.address\.httpMethod: expected one of/);
});

test('jobs are written as EdgeX writes them: empty optional fields left out, properties always there', () => {
  const parsed = parseDto(AddScheduleJobRequestSchema, job(), 'r').scheduleJob;
  const wire = scheduleJobWire(parsed);
  assert.deepEqual(wire.properties, {});
  assert.deepEqual(wire.definition, { type: 'INTERVAL', interval: '10s' });
  assert.equal('labels' in wire, false);
  assert.deepEqual(wire.actions, [{ type: 'REST', address: 'http://localhost:59880/api/v3/ping', method: 'GET' }]);
});
