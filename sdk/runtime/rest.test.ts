import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { z } from 'zod';
import { commonConfigSchema, loadConfig } from './config.js';
import { EdgeXError } from './contracts.js';
import { asyncRoute, checkOffset, handleBatch, parseNs, parsePaging, sendOk } from './rest.js';
import { createServiceRuntime, type ServiceRuntime } from './service.js';
import { readJson, type BaseResponse, type ErrorResponse } from '../../test/helpers/http.js';

describe('paging and parsing helpers', () => {
  test('parsePaging defaults, -1, bounds and non-integers', () => {
    assert.deepEqual(parsePaging({}, 1024), { offset: 0, limit: 20 });
    assert.deepEqual(parsePaging({ offset: '5', limit: '-1' }, 1024), { offset: 5, limit: 1024 });
    assert.deepEqual(parsePaging({ limit: '1024' }, 1024), { offset: 0, limit: 1024 });
    const contractInvalid = (re: RegExp) => (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && re.test(err.message);
    assert.throws(() => parsePaging({ limit: '1025' }, 1024), contractInvalid(/^limit: .*MaxResultCount/));
    assert.throws(() => parsePaging({ limit: '1.5' }, 1024), contractInvalid(/^limit: expected an integer/));
    assert.throws(() => parsePaging({ offset: 'x' }, 1024), contractInvalid(/^offset: expected an integer/));
    assert.throws(() => parsePaging({ offset: '-1' }, 1024), contractInvalid(/^offset: /));
    assert.throws(() => parsePaging({ limit: '-2' }, 1024), contractInvalid(/^limit: /));
    assert.throws(() => parsePaging({ limit: ['1', '2'] }, 1024), contractInvalid(/^limit: /));
  });

  test('checkOffset follows EdgeX CheckCountRange', () => {
    assert.equal(checkOffset(0, 0), false);
    assert.equal(checkOffset(5, 0), false);
    assert.equal(checkOffset(3, 3), true);
    assert.throws(
      () => checkOffset(4, 3),
      (err: unknown) => err instanceof EdgeXError && err.kind === 'RangeNotSatisfiable' && /length:3 offset:4/.test(err.message),
    );
  });

  test('parseNs', () => {
    assert.equal(parseNs('1700000000000000000', 'start'), 1700000000000000000n);
    assert.equal(parseNs('12345', 'start'), 12345);
    assert.throws(() => parseNs('12x', 'end'), /^EdgeXError: end: expected an integer|end: expected an integer/);
    assert.throws(() => parseNs('99999999999999999999', 'end'), /end: .* int64/);
  });
});

describe('REST app over a real port', () => {
  let rt: ServiceRuntime;
  let base: string;
  const itemSchema = z.object({ apiVersion: z.string(), requestId: z.string().optional(), thing: z.object({ name: z.string() }) });

  before(async () => {
    const config = loadConfig({
      service: 'rest-test',
      schema: commonConfigSchema,
      argv: [],
      env: {},
      overrides: { Service: { ServerBindAddr: '127.0.0.1', MaxResultCount: 50, MaxRequestSize: 1 }, MessageBus: { Disabled: true } },
    });
    rt = await createServiceRuntime({ name: 'rest-test', version: '1.2.3', config, log: pino({ level: 'silent' }) });
    const things = ['a', 'b', 'c'];
    rt.rest.get(
      '/api/v3/thing/all',
      asyncRoute(async (req, res) => {
        const { offset, limit } = parsePaging(req.query, rt.config.Service.MaxResultCount);
        checkOffset(offset, things.length);
        sendOk(res, 200, { totalCount: things.length, things: things.slice(offset, offset + limit) });
      }),
    );
    rt.rest.post(
      '/api/v3/thing',
      asyncRoute((req, res) =>
        handleBatch(req, res, itemSchema, async (item) => {
          if (item.thing.name === 'dup') throw new EdgeXError('DuplicateName', `thing name dup already exists`);
          if (item.thing.name === 'crash') throw new Error('disk on fire');
          return { id: `id-${item.thing.name}` };
        }),
      ),
    );
    rt.rest.post(
      '/api/v3/echo',
      asyncRoute(async (req, res) => sendOk(res, 201, { got: req.body })),
    );
    await rt.start();
    base = `http://127.0.0.1:${rt.restPort}`;
  });
  after(() => rt.stop());

  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(base + path, { method: 'POST', body, headers });

  test('GET /api/v3/ping: PingResponse with Go UnixDate timestamp', async () => {
    const res = await fetch(`${base}/api/v3/ping`);
    assert.equal(res.status, 200);
    const body = await readJson<BaseResponse & { serviceName: string; timestamp: string }>(res);
    assert.equal(body.apiVersion, 'v3');
    assert.equal(body.serviceName, 'rest-test');
    assert.match(body.timestamp, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
  });

  test('version and config', async () => {
    assert.deepEqual(await (await fetch(`${base}/api/v3/version`)).json(), {
      apiVersion: 'v3',
      version: '1.2.3',
      serviceName: 'rest-test',
    });
    const cfg = await readJson<{ serviceName: string; config: { Service: { MaxResultCount: number } } }>(await fetch(`${base}/api/v3/config`));
    assert.equal(cfg.serviceName, 'rest-test');
    assert.equal(cfg.config.Service.MaxResultCount, 50);
  });

  test('POST /api/v3/secret: 405 without a configuration provider; a malformed request is 400 naming the field', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${base}/api/v3/secret`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: await readJson<ErrorResponse>(res) };
    };
    const refused = await post({ apiVersion: 'v3', secretName: 'broker', secretData: [{ key: 'password', value: 'x' }] });
    assert.equal(refused.status, 405);
    assert.equal(refused.body.statusCode, 405);
    assert.match(
      refused.body.message,
      /^cannot store secret broker: rest-test has no configuration provider \(Consul\) to keep it in; put it in Writable\.InsecureSecrets/,
    );

    const missing = await post({ apiVersion: 'v3', secretData: [] });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /^secretName: is required; secretData: must hold at least one \{key, value\}/);
    const slash = await post({ apiVersion: 'v3', secretName: 'a/b', secretData: [{ key: 'k', value: '' }] });
    assert.equal(slash.status, 400);
    assert.match(slash.body.message, /^secretName: must not contain \/; secretData\[0\]\.value: must not be blank/);
  });

  test('X-Correlation-ID is echoed, or generated', async () => {
    const echoed = await fetch(`${base}/api/v3/ping`, { headers: { 'X-Correlation-ID': 'abc-123' } });
    assert.equal(echoed.headers.get('x-correlation-id'), 'abc-123');
    const generated = await fetch(`${base}/api/v3/ping`);
    assert.match(generated.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('a JSON body is read whatever Content-Type says, as EdgeX does (curl -d sends form-urlencoded)', async () => {
    const res = await post('/api/v3/echo', '{"a":1}', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 201);
    assert.deepEqual((await readJson<{ got: unknown }>(res)).got, { a: 1 });
  });

  test('bad JSON → 400 envelope; too large → 413; unknown route → 404', async () => {
    const bad = await post('/api/v3/echo', '{"a":');
    assert.equal(bad.status, 400);
    const body = await readJson<ErrorResponse>(bad);
    assert.equal(body.apiVersion, 'v3');
    assert.equal(body.statusCode, 400);
    assert.match(body.message, /^request body is not valid JSON: /);

    const big = await post('/api/v3/echo', JSON.stringify({ pad: 'x'.repeat(2000) }));
    assert.equal(big.status, 413);
    assert.equal((await readJson(big)).statusCode, 413);

    const missing = await fetch(`${base}/api/v3/nothing-here`);
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(await readJson(missing)).sort(), ['apiVersion', 'message', 'statusCode']);
  });

  test('sendOk adds apiVersion, statusCode and echoes requestId', async () => {
    const res = await post('/api/v3/echo', JSON.stringify({ requestId: 'r-1', x: 1 }));
    assert.equal(res.status, 201);
    const body = await readJson(res);
    assert.equal(body.apiVersion, 'v3');
    assert.equal(body.statusCode, 201);
    assert.equal(body.requestId, 'r-1');
  });

  test('paging: 200, 400 naming the parameter, 416', async () => {
    const ok = await readJson(await fetch(`${base}/api/v3/thing/all?offset=1&limit=1`));
    assert.deepEqual(ok, { apiVersion: 'v3', statusCode: 200, totalCount: 3, things: ['b'] });
    const tooMany = await fetch(`${base}/api/v3/thing/all?limit=51`);
    assert.equal(tooMany.status, 400);
    assert.match((await readJson<ErrorResponse>(tooMany)).message, /^limit: /);
    const notInt = await fetch(`${base}/api/v3/thing/all?offset=abc`);
    assert.equal(notInt.status, 400);
    assert.match((await readJson<ErrorResponse>(notInt)).message, /^offset: /);
    const beyond = await fetch(`${base}/api/v3/thing/all?offset=4`);
    assert.equal(beyond.status, 416);
    assert.equal((await readJson(beyond)).statusCode, 416);
    const all = await readJson<{ things: string[] }>(await fetch(`${base}/api/v3/thing/all?limit=-1`));
    assert.deepEqual(all.things, ['a', 'b', 'c']);
  });

  test('batch: 207 with per-item status, requestId echoed; non-array → 400', async () => {
    const res = await post(
      '/api/v3/thing',
      JSON.stringify([
        { apiVersion: 'v3', requestId: 'r1', thing: { name: 'one' } },
        { apiVersion: 'v3', requestId: 'r2', thing: { name: 'dup' } },
        { apiVersion: 'v3', thing: { name: 'crash' } },
      ]),
    );
    assert.equal(res.status, 207);
    const items = await readJson<(BaseResponse & { id?: string })[]>(res);
    assert.deepEqual(items[0], { apiVersion: 'v3', requestId: 'r1', statusCode: 201, id: 'id-one' });
    assert.deepEqual(items[1], { apiVersion: 'v3', requestId: 'r2', message: 'thing name dup already exists', statusCode: 409 });
    assert.equal(items[2].statusCode, 500);
    assert.equal(items[2].requestId, undefined);

    const notArray = await post('/api/v3/thing', JSON.stringify({ apiVersion: 'v3' }));
    assert.equal(notArray.status, 400);
    assert.equal((await readJson(notArray)).statusCode, 400);
  });

  test('batch: one malformed item fails the whole request with one 400 naming it, as EdgeX decodes the array first', async () => {
    const res = await post(
      '/api/v3/thing',
      JSON.stringify([
        { apiVersion: 'v3', requestId: 'r1', thing: { name: 'one' } },
        { apiVersion: 'v3', requestId: 'r3', thing: {} },
      ]),
    );
    assert.equal(res.status, 400);
    const body = await readJson<ErrorResponse>(res);
    assert.equal(body.statusCode, 400);
    assert.match(body.message, /^request\[1\]\.thing\.name: /);
  });

  test("batch: Go's nil slice (`null`) and an empty array are an empty batch: 207 with null, as EdgeX answers", async () => {
    for (const empty of ['null', '[]']) {
      const res = await post('/api/v3/thing', empty);
      assert.equal(res.status, 207, empty);
      assert.equal(await res.text(), 'null');
    }
  });

  test('GET /metrics: Prometheus text with process and HTTP metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /process_cpu_user_seconds_total/);
    assert.match(text, /http_requests_total\{method="GET",route="\/api\/v3\/ping",status="200",service="rest-test"\} \d+/);
    assert.match(text, /http_request_duration_seconds_bucket/);
  });
});
