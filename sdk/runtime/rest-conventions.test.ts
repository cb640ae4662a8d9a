import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Router } from 'express';
import { pino } from 'pino';
import { waitFor } from '../../test/helpers/wait.js';
import { commonConfigSchema, loadConfig } from './config.js';
import { asyncRoute, sendOk } from './rest.js';
import { restRoutes } from './rest-routes.js';
import { createServiceRuntime, type ServiceRuntime } from './service.js';
import { readJson, type ErrorResponse } from '../../test/helpers/http.js';

/** Every service's REST app: 405 for a known path with the wrong method; each request logged at DEBUG. */
describe('REST conventions every service shares', () => {
  let rt: ServiceRuntime;
  let base: string;
  const logLines: Record<string, unknown>[] = [];
  const logSink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line));
      done();
    },
  });

  before(async () => {
    const config = loadConfig({
      service: 'conventions-test',
      schema: commonConfigSchema,
      argv: [],
      env: {},
      overrides: { Service: { ServerBindAddr: '127.0.0.1' }, MessageBus: { Disabled: true } },
    });
    rt = await createServiceRuntime({ name: 'conventions-test', version: '1.0.0', config, log: pino({ level: 'debug' }, logSink) });
    const router = Router();
    const routes = restRoutes(router);
    routes.get(
      '/widget/name/:name',
      asyncRoute(async (req, res) => sendOk(res, 200, { name: req.params.name })),
    );
    routes.delete(
      '/widget/name/:name',
      asyncRoute(async (_req, res) => sendOk(res, 200, {})),
    );
    // Another pattern that also matches /widget/name/…: the 405 names the methods of every matching path.
    routes.post(
      '/widget/:kind/:id',
      asyncRoute(async (_req, res) => sendOk(res, 201, {})),
    );
    rt.rest.use('/api/v3', router);
    await rt.start();
    base = `http://127.0.0.1:${rt.restPort}/api/v3`;
  });
  after(() => rt.stop());

  test('a known path asked with another method: 405, Allow, EdgeX error body (as EdgeX); an unknown path stays 404', async () => {
    const wrong = await fetch(`${base}/widget/name/w1`, { method: 'PUT' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'DELETE, GET, HEAD, POST');
    const body = await readJson<ErrorResponse>(wrong);
    assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'message', 'statusCode']);
    assert.equal(body.statusCode, 405);
    assert.match(body.message, /PUT is not allowed on \/api\/v3\/widget\/name\/w1/);
    // A method one path refuses is still answered by another path that matches the same URL.
    assert.equal((await fetch(`${base}/widget/name/w1`, { method: 'POST' })).status, 201);
    assert.equal((await fetch(`${base}/widget/name`, { method: 'DELETE' })).status, 404);

    const common = await fetch(`${base}/ping`, { method: 'DELETE' });
    assert.equal(common.status, 405);
    assert.equal((await fetch(`${base}/widget/name/w1`)).status, 200);
    assert.equal((await fetch(`${base}/widget/name/w1`, { method: 'HEAD' })).status, 200);
    assert.equal((await fetch(`${base}/widget/nothing`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
  });

  test('each request is logged at DEBUG with method, path, status, duration and correlation id', async () => {
    const res = await fetch(`${base}/widget/name/w2?x=1`, { headers: { 'X-Correlation-ID': 'corr-log-1' } });
    assert.equal(res.status, 200);
    const line = await waitFor('the request log line', () => logLines.find((l) => l.correlationId === 'corr-log-1'));
    assert.equal(line.level, 20);
    assert.equal(line.msg, 'request');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/api/v3/widget/name/w2?x=1');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');

    rt.log.level = 'info';
    await fetch(`${base}/widget/name/w3`, { headers: { 'X-Correlation-ID': 'corr-log-2' } });
    await fetch(`${base}/widget/name/w4`, { method: 'DELETE', headers: { 'X-Correlation-ID': 'corr-log-3' } });
    rt.log.level = 'debug';
    await fetch(`${base}/widget/name/w5`, { headers: { 'X-Correlation-ID': 'corr-log-4' } });
    await waitFor('the request log line after DEBUG is back', () => logLines.some((l) => l.correlationId === 'corr-log-4'));
    assert.equal(logLines.filter((l) => l.correlationId === 'corr-log-2' || l.correlationId === 'corr-log-3').length, 0, 'nothing at INFO');
  });
});
