// support-logging's REST API through its real port, on SQLite and on MongoDB (a real FerretDB): the EdgeX 1.x
// /api/v1/logs routes as Edinburgh's router has them, and the v3-style /api/v3/log API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LogEntry } from '@edgex-ts/contracts';
import { readJson, type BaseResponse } from '../../../../test/helpers/http.js';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { startTestSupportLogging } from '../test-support/start.js';
import type { SupportLoggingHandle } from '../index.js';

interface MultiLogEntries extends BaseResponse {
  totalCount: number;
  logEntries: LogEntry[];
}

interface V1Entry {
  logLevel?: string;
  args?: unknown[];
  originService?: string;
  message?: string;
  created?: number;
  id?: string;
}

const SEED = [
  { originService: 'core-data', logLevel: 'INFO', message: 'Event stored', created: 1000 },
  { originService: 'core-data', logLevel: 'ERROR', message: 'Store failed', args: ['device', 'Random-Integer-Device'], created: 2000 },
  { originService: 'core-command', logLevel: 'WARN', message: 'device offline', created: 3000 },
  { originService: 'core-command', logLevel: 'DEBUG', message: 'request sent', created: 4000 },
  { originService: 'device-virtual', logLevel: 'TRACE', message: 'tick', created: 5000 },
];

for (const { name, fresh: database } of databaseBackends('support_logging_routes')) {
  describe(`support-logging REST on ${name}`, () => {
    let svc: SupportLoggingHandle;
    let base = '';
    before(async () => {
      svc = await startTestSupportLogging(database(), { Service: { MaxResultCount: 50 }, Retention: { Enabled: false } });
      base = `http://127.0.0.1:${svc.restPort}`;
    });
    after(() => svc?.stop());

    const post = (path: string, body: unknown) =>
      fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const del = (path: string) => fetch(base + path, { method: 'DELETE' });
    const v1 = async (path: string) => {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, `${path}: ${res.status}`);
      return (await res.json()) as V1Entry[];
    };
    const v1Messages = async (path: string) => (await v1(path)).map((e) => e.message);
    const v1Error = async (res: Response, status: number, field: RegExp) => {
      assert.equal(res.status, status);
      assert.match(await res.text(), field);
    };
    const seed = async () => {
      await svc.domain.store.remove({});
      const res = await post(
        '/api/v3/log',
        SEED.map((logEntry) => ({ apiVersion: 'v3', logEntry })),
      );
      assert.equal(res.status, 207);
    };

    test('v3 batch POST stores every entry and answers 207 with an id per item; created 0 or absent is the time of receipt', async () => {
      await svc.domain.store.remove({});
      const before = Date.now();
      const res = await post('/api/v3/log', [
        { apiVersion: 'v3', requestId: 'r1', logEntry: { originService: 'svc', logLevel: 'INFO', message: 'one', args: ['k', 'v'], created: 1234 } },
        { apiVersion: 'v3', logEntry: { originService: 'svc', logLevel: 'WARN', message: 'two', args: null, created: 0 } },
      ]);
      assert.equal(res.status, 207);
      const items = await readJson<(BaseResponse & { id: string })[]>(res);
      assert.deepEqual(
        items.map((i) => [i.statusCode, i.requestId]),
        [
          [201, 'r1'],
          [201, undefined],
        ],
      );
      const listed = await readJson<MultiLogEntries>(await fetch(`${base}/api/v3/log/all?service=svc`));
      assert.equal(listed.totalCount, 2);
      const [two, one] = listed.logEntries;
      assert.deepEqual(one, { id: items[0].id, originService: 'svc', logLevel: 'INFO', message: 'one', args: ['k', 'v'], created: 1234 });
      assert.equal(two.id, items[1].id);
      assert.ok(two.created >= before && two.created <= Date.now(), `created ${two.created} is the time of receipt`);
    });

    test('v3 batch POST refuses a malformed item naming it, and stores nothing of the batch', async () => {
      await svc.domain.store.remove({});
      let res = await post('/api/v3/log', [
        { apiVersion: 'v3', logEntry: { originService: 'svc', logLevel: 'INFO', message: 'fine' } },
        { apiVersion: 'v3', logEntry: { originService: 'svc', logLevel: 'NOTICE', message: 'bad' } },
      ]);
      assert.equal(res.status, 400);
      assert.match((await readJson(res)).message ?? '', /^request\[1\]\.logEntry\.logLevel: expected one of TRACE, DEBUG, INFO, WARN, ERROR/);
      res = await post('/api/v3/log', [{ apiVersion: 'v3', logEntry: { logLevel: 'INFO', message: 'who?' } }]);
      assert.match((await readJson(res)).message ?? '', /^request\[0\]\.logEntry\.originService: is required/);
      res = await post('/api/v3/log', { originService: 'svc', logLevel: 'INFO' });
      assert.equal(res.status, 400);
      assert.equal(await svc.domain.store.count({}), 0);
    });

    test('v3 GET /log/all filters by service, level, keyword and time range, newest first, with offset/limit and totalCount', async () => {
      await seed();
      const list = async (query: string) => {
        const res = await fetch(`${base}/api/v3/log/all?${query}`);
        assert.equal(res.status, 200, query);
        return readJson<MultiLogEntries>(res);
      };
      const msgs = async (query: string) => (await list(query)).logEntries.map((e) => e.message);
      assert.deepEqual(await msgs(''), ['tick', 'request sent', 'device offline', 'Store failed', 'Event stored']);
      assert.deepEqual(await msgs('service=core-data'), ['Store failed', 'Event stored']);
      assert.deepEqual(await msgs('service=core-command,device-virtual&level=WARN&level=TRACE'), ['tick', 'device offline']);
      assert.deepEqual(await msgs('keyword=Random-Integer'), ['Store failed'], 'keyword in args');
      assert.deepEqual(await msgs('keyword=offline,tick'), ['tick', 'device offline']);
      assert.deepEqual(await msgs('start=2000&end=4000'), ['request sent', 'device offline', 'Store failed']);
      const page = await list('offset=1&limit=2');
      assert.equal(page.totalCount, 5);
      assert.deepEqual(
        page.logEntries.map((e) => e.message),
        ['request sent', 'device offline'],
      );
      assert.deepEqual((await list('service=nobody')).logEntries, []);
    });

    test('v3 GET refuses bad filters with 400 naming the field, and an offset beyond the matches with 416', async () => {
      await seed();
      const refused = async (query: string, status: number, message: RegExp) => {
        const res = await fetch(`${base}/api/v3/log/all?${query}`);
        assert.equal(res.status, status, query);
        assert.match((await readJson(res)).message ?? '', message);
      };
      await refused('level=NOTICE', 400, /^level: unknown log level "NOTICE"/);
      await refused('start=yesterday', 400, /^start: expected a non-negative integer/);
      await refused('end=-5', 400, /^end: expected a non-negative integer/);
      await refused('start=3000&end=2000', 400, /^end: 2000 is before start 3000/);
      await refused('limit=x', 400, /^limit: expected an integer/);
      await refused('limit=51', 400, /^limit: must be between -1 and 50/);
      await refused('offset=9', 416, /out of range/);
    });

    test('v3 DELETE /log/age/{age} removes what is older than age ms', async () => {
      await seed();
      const fresh = await post('/api/v3/log', [{ apiVersion: 'v3', logEntry: { originService: 'svc', logLevel: 'INFO', message: 'now' } }]);
      assert.equal(fresh.status, 207);
      const res = await del('/api/v3/log/age/60000');
      assert.equal(res.status, 200);
      assert.equal((await readJson<BaseResponse & { removedCount: number }>(res)).removedCount, 5);
      assert.deepEqual(
        (await readJson<MultiLogEntries>(await fetch(`${base}/api/v3/log/all`))).logEntries.map((e) => e.message),
        ['now'],
      );
      const bad = await del('/api/v3/log/age/old');
      assert.equal(bad.status, 400);
      assert.match((await readJson(bad)).message ?? '', /^age: expected a non-negative integer/);
    });

    test('v1 POST /api/v1/logs takes an EdgeX 1.x LogEntry (202), stamped with the time of receipt as Edinburgh does', async () => {
      await svc.domain.store.remove({});
      const before = Date.now();
      const res = await post('/api/v1/logs', { logLevel: 'ERROR', originService: 'edgex-go-client', message: 'from Go', args: null, created: 5 });
      assert.equal(res.status, 202);
      const [e] = await v1('/api/v1/logs');
      assert.equal(e.id, undefined, 'EdgeX 1.x entries carry no id');
      assert.deepEqual({ ...e, created: undefined }, { logLevel: 'ERROR', originService: 'edgex-go-client', message: 'from Go', created: undefined });
      assert.ok(e.created! >= before && e.created! <= Date.now());
    });

    test('v1 POST refuses an unknown level, a missing originService and bad JSON with 400 naming the field', async () => {
      await v1Error(await post('/api/v1/logs', { logLevel: 'NOTICE', originService: 'x' }), 400, /logEntry\.logLevel: expected one of/);
      await v1Error(await post('/api/v1/logs', { logLevel: 'INFO', message: 'x' }), 400, /logEntry\.originService: is required/);
      await v1Error(await post('/api/v1/logs', '{"logLevel":'), 400, /not valid JSON/);
    });

    test('v1 GET routes: all, {limit}, {start}/{end}/{limit}, originServices, keywords, logLevels, logLevels + originServices (oldest first)', async () => {
      await seed();
      assert.deepEqual(await v1Messages('/api/v1/logs'), ['Event stored', 'Store failed', 'device offline', 'request sent', 'tick']);
      assert.deepEqual(await v1Messages('/api/v1/logs/2'), ['Event stored', 'Store failed']);
      assert.deepEqual(
        await v1Messages('/api/v1/logs/0'),
        ['Event stored', 'Store failed', 'device offline', 'request sent', 'tick'],
        'limit 0 = MaxResultCount',
      );
      assert.deepEqual(await v1Messages('/api/v1/logs/2000/4000/10'), ['Store failed', 'device offline', 'request sent']);
      assert.deepEqual(await v1Messages('/api/v1/logs/0/2000/10'), ['Event stored', 'Store failed'], 'start 0 = unbounded');
      assert.deepEqual(await v1Messages('/api/v1/logs/originServices/core-command,device-virtual/0/0/10'), ['device offline', 'request sent', 'tick']);
      assert.deepEqual(await v1Messages('/api/v1/logs/keywords/offline,Event/0/0/10'), ['Event stored', 'device offline']);
      assert.deepEqual(await v1Messages('/api/v1/logs/logLevels/ERROR,WARN/0/0/10'), ['Store failed', 'device offline']);
      assert.deepEqual(await v1Messages('/api/v1/logs/logLevels/DEBUG,WARN/originServices/core-command/3500/5000/10'), ['request sent']);
      const [full] = await v1('/api/v1/logs/keywords/Store/0/0/1');
      assert.deepEqual(full, {
        logLevel: 'ERROR',
        args: ['device', 'Random-Integer-Device'],
        originService: 'core-data',
        message: 'Store failed',
        created: 2000,
      });
    });

    test('v1 GET refuses non-numeric start/end/limit, end before start and unknown levels with 400 naming the field', async () => {
      await v1Error(await fetch(`${base}/api/v1/logs/abc/10/5`), 400, /^start: expected a non-negative integer, got "abc"/);
      await v1Error(await fetch(`${base}/api/v1/logs/1/x/5`), 400, /^end: /);
      await v1Error(await fetch(`${base}/api/v1/logs/ten`), 400, /^limit: /);
      await v1Error(await fetch(`${base}/api/v1/logs/5000/1000/5`), 400, /^end: 1000 is before start 5000/);
      await v1Error(await fetch(`${base}/api/v1/logs/logLevels/INFO,LOUD/0/0/5`), 400, /^logLevels: unknown log level "LOUD"/);
    });

    test('v1 DELETE routes remove by the same filters and answer the count', async () => {
      await seed();
      const removed = async (path: string) => {
        const res = await del(path);
        assert.equal(res.status, 200, path);
        return Number(await res.text());
      };
      assert.equal(await removed('/api/v1/logs/logLevels/TRACE/originServices/device-virtual/0/0'), 1);
      assert.equal(await removed('/api/v1/logs/keywords/request/0/0'), 1);
      assert.equal(await removed('/api/v1/logs/originServices/core-command/0/0'), 1);
      assert.equal(await removed('/api/v1/logs/logLevels/ERROR/0/0'), 1);
      assert.equal(await removed('/api/v1/logs/0/1000'), 1);
      assert.equal(await svc.domain.store.count({}), 0);
      await seed();
      await post('/api/v1/logs', { logLevel: 'INFO', originService: 'svc', message: 'recent' });
      assert.equal(await removed('/api/v1/logs/removeold/age/60000'), 5);
      assert.deepEqual(await v1Messages('/api/v1/logs'), ['recent']);
      await v1Error(await del('/api/v1/logs/removeold/age/x'), 400, /^age: /);
    });

    test('ping on both APIs, /metrics counts received and removed entries', async () => {
      const ping = await fetch(`${base}/api/v1/ping`);
      assert.equal(await ping.text(), 'pong');
      assert.equal((await fetch(`${base}/api/v3/ping`)).status, 200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /^support_logging_entries_received_total\{service="support-logging"\} [1-9]\d*$/m);
      assert.match(metrics, /^support_logging_entries_removed_total\{reason="request",service="support-logging"\} [1-9]\d*$/m);
    });
  });
}
