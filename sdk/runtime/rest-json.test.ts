import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { commonConfigSchema, loadConfig } from './config.js';
import { asyncRoute, MAX_JSON_DEPTH, sendOk } from './rest.js';
import { createServiceRuntime, type ServiceRuntime } from './service.js';

describe('REST JSON in and out, exact and bounded', () => {
  let rt: ServiceRuntime;
  let base: string;

  before(async () => {
    const config = loadConfig({
      service: 'rest-json-test',
      schema: commonConfigSchema,
      argv: [],
      env: {},
      overrides: { Service: { ServerBindAddr: '127.0.0.1' }, MessageBus: { Disabled: true } },
    });
    rt = await createServiceRuntime({ name: 'rest-json-test', version: '1.0.0', config, log: pino({ level: 'silent' }) });
    rt.rest.post(
      '/api/v3/echo',
      asyncRoute(async (req, res) => sendOk(res, 201, { got: req.body })),
    );
    await rt.start();
    base = `http://127.0.0.1:${rt.restPort}`;
  });
  after(() => rt.stop());

  const post = (body: string) => fetch(`${base}/api/v3/echo`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  test('integers beyond 2^53 come back as the same JSON numbers', async () => {
    const res = await post('{"origin":1796657960933599538,"u64":18446744073709551615,"i64":-9223372036854775808,"small":42,"f":1.5}');
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const text = await res.text();
    assert.match(text, /"got":\{"origin":1796657960933599538,"u64":18446744073709551615,"i64":-9223372036854775808,"small":42,"f":1.5\}/);
  });

  test('JSON nested 5,000 deep is a 400 naming the limit, not a 500', async () => {
    const res = await post('['.repeat(5000) + ']'.repeat(5000));
    assert.equal(res.status, 400);
    const body = (await res.json()) as { statusCode: number; message: string };
    assert.equal(body.statusCode, 400);
    assert.match(body.message, new RegExp(`^request body: nested deeper than ${MAX_JSON_DEPTH} levels`));
    const objects = await post('{"a":'.repeat(5000) + '1' + '}'.repeat(5000));
    assert.equal(objects.status, 400);
    const fine = await post('{"a":'.repeat(MAX_JSON_DEPTH - 1) + '[]' + '}'.repeat(MAX_JSON_DEPTH - 1));
    assert.equal(fine.status, 201);
  });

  test('invalid JSON is still a 400 saying so', async () => {
    const res = await post('{"a":');
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /^request body is not valid JSON: /);
  });
});
