import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { CoreDataHandle } from '../index.js';
import { addEventRequest, makeEvent } from '../test-support/events.js';
import { startTestCoreData, tempDbPath } from '../test-support/start.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { EDGEX_CBOR_EVENT, edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';
import { parseJson, stringifyJson } from '@edgex-ts/contracts';
import { decode, encode } from 'cbor2';

let cd: CoreDataHandle;
let base: string;
const dbPath = tempDbPath();

/** node:http rather than fetch: EdgeX allows a JSON body on a GET (reading resourceNames filter). */
function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const data = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : stringifyJson(body);
  return new Promise<{ status: number; body: any; text: string }>((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers: { 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
const post = (e: ReturnType<typeof makeEvent>, svc = 'ds') =>
  call('POST', `/event/${svc}/${e.profileName}/${e.deviceName}/${e.sourceName}`, addEventRequest(e));

// Offsets are multiples of 4096 ns so origins stay exact as JS numbers (ns near 1.7e18 step by 256).
const T0 = 1_700_000_000_000_000_000;
const K = 4096;
const e1 = makeEvent({ deviceName: 'd1', origin: T0 + 1 * K, resources: ['temp', 'hum'] });
const e2 = makeEvent({ deviceName: 'd1', origin: T0 + 2 * K, resources: ['temp'] });
const e3 = makeEvent({ deviceName: 'd2', origin: T0 + 3 * K, resources: ['temp', 'press', 'hum'] });

before(async () => {
  cd = await startTestCoreData({ dbPath });
  base = `http://127.0.0.1:${cd.restPort}/api/v3`;
});
after(() => cd.stop());

describe('core-data REST', () => {
  it('POST /event stores and answers 201 {id}', async () => {
    for (const e of [e1, e2, e3]) {
      const r = await post(e);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.id, e.id);
      assert.equal(r.body.statusCode, 201);
      assert.equal(r.body.apiVersion, 'v3');
    }
  });

  it('GET event queries, newest first', async () => {
    let r = await call('GET', '/event/all');
    assert.equal(r.status, 200);
    assert.equal(r.body.totalCount, 3);
    assert.deepEqual(
      r.body.events.map((e: { id: string }) => e.id),
      [e3.id, e2.id, e1.id],
    );
    r = await call('GET', `/event/id/${e1.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.event, { apiVersion: 'v3', ...e1 });
    // EdgeX 4.0 writes `count`, 3.1 `Count`: both, so that clients of either read it.
    const counted = await call('GET', '/event/count');
    assert.deepEqual([counted.body.count, counted.body.Count, counted.body.statusCode], [3, 3, 200]);
    assert.equal((await call('GET', '/event/count/device/name/d1')).body.count, 2);
    assert.equal((await call('GET', '/event/count/device/name/d1')).body.Count, 2);
    r = await call('GET', '/event/device/name/d1?offset=1&limit=5');
    assert.equal(r.body.totalCount, 2);
    assert.deepEqual(
      r.body.events.map((e: { id: string }) => e.id),
      [e1.id],
    );
    r = await call('GET', `/event/start/${T0 + 1.5 * K}/end/${T0 + 3 * K}`);
    assert.deepEqual(
      r.body.events.map((e: { id: string }) => e.id),
      [e3.id, e2.id],
    );
    assert.equal(r.body.totalCount, 2);
  });

  it('GET reading queries in every form', async () => {
    const origins = (r: { body: { readings: { origin: number }[] } }) => r.body.readings.map((x) => (x.origin - T0) / K);
    let r = await call('GET', '/reading/all?limit=-1');
    assert.equal(r.body.totalCount, 6);
    assert.equal(r.body.readings.length, 6);
    assert.deepEqual([(await call('GET', '/reading/count')).body.count, (await call('GET', '/reading/count')).body.Count], [6, 6]);
    assert.deepEqual(
      [(await call('GET', '/reading/count/device/name/d2')).body.count, (await call('GET', '/reading/count/device/name/d2')).body.Count],
      [3, 3],
    );
    r = await call('GET', '/reading/device/name/d1');
    assert.deepEqual(origins(r), [2, 1, 1]);
    r = await call('GET', '/reading/resourceName/hum');
    assert.deepEqual(origins(r), [3, 1]);
    r = await call('GET', '/reading/device/name/d1/resourceName/temp');
    assert.deepEqual(origins(r), [2, 1]);
    assert.deepEqual(r.body.readings[0], { ...e2.readings[0] });
    r = await call('GET', `/reading/start/${T0 + 2 * K}/end/${T0 + 3 * K}`);
    assert.equal(r.body.totalCount, 4);
    r = await call('GET', `/reading/resourceName/temp/start/${T0}/end/${T0 + 2 * K}`);
    assert.deepEqual(origins(r), [2, 1]);
    r = await call('GET', `/reading/device/name/d2/resourceName/press/start/${T0}/end/${T0 + 5 * K}`);
    assert.equal(r.body.totalCount, 1);
    r = await call('GET', `/reading/device/name/d2/start/${T0}/end/${T0 + 5 * K}`);
    assert.equal(r.body.totalCount, 3);
    r = await call('GET', `/reading/device/name/d2/start/${T0}/end/${T0 + 5 * K}`, { resourceNames: ['hum', 'press'] });
    assert.equal(r.body.totalCount, 2);
    assert.deepEqual(r.body.readings.map((x: { resourceName: string }) => x.resourceName).sort(), ['hum', 'press']);
  });

  it('rejects bad input with the right status and a message naming the problem', async () => {
    const cases: [string, Promise<{ status: number; body: { message: string; statusCode: number } }>, number, RegExp][] = [
      ['non-JSON', call('POST', '/event/ds/p/d/s', '{nope'), 400, /JSON/],
      ['missing event', call('POST', '/event/ds/p/d/s', { apiVersion: 'v3' }), 400, /event/],
      (() => {
        const e = makeEvent({});
        (e.readings[0] as { valueType: string }).valueType = 'Int99';
        return ['bad valueType', post(e), 400, /event\.readings\[0\]\.valueType/] as const;
      })(),
      (() => {
        const e = makeEvent({});
        e.readings[0].value = 'abc';
        return ['bad value', post(e), 400, /event\.readings\[0\]\.value/] as const;
      })(),
      (() => {
        const e = makeEvent({});
        const { deviceName: _d, ...rest } = e;
        return ['missing deviceName', call('POST', '/event/ds/prof/dev/r', addEventRequest(rest as never)), 400, /event\.deviceName/] as const;
      })(),
      (() => {
        const e = makeEvent({ deviceName: 'real' });
        return ['path mismatch', call('POST', `/event/ds/${e.profileName}/other/${e.sourceName}`, addEventRequest(e)), 400, /deviceName/] as const;
      })(),
      ['duplicate id', post(e1), 409, new RegExp(e1.id)],
      ['not CBOR', call('POST', '/event/ds/p/d/s', 'x', { 'content-type': 'application/cbor' }), 400, /request body is not valid CBOR/],
      ['empty CBOR', call('POST', '/event/ds/p/d/s', '', { 'content-type': 'application/cbor' }), 400, /request body is missing/],
      (() => {
        // EdgeX's own CBOR event with its Binary reading's mediaType taken out.
        const request = decode<{ event: { readings: Record<string, unknown>[] } }>(new Uint8Array(edgexCbor.addEventRequest));
        delete request.event.readings[0].mediaType;
        const { serviceName, profileName, deviceName, sourceName } = EDGEX_CBOR_EVENT;
        const body = Buffer.from(encode(request));
        return [
          'CBOR without mediaType',
          call('POST', `/event/${serviceName}/${profileName}/${deviceName}/${sourceName}`, body, { 'content-type': 'application/cbor' }),
          400,
          /event\.readings\[0\]\.mediaType/,
        ] as const;
      })(),
      ['end before start', call('GET', '/event/start/20/end/10'), 400, /end/],
      ['reading end before start', call('GET', '/reading/start/20/end/10'), 400, /end/],
      ['bad start', call('GET', '/reading/start/abc/end/10'), 400, /start/],
      ['offset past end', call('GET', '/event/all?offset=10'), 416, /offset/],
      ['reading offset past end', call('GET', '/reading/device/name/d1?offset=4'), 416, /offset/],
      ['limit too big', call('GET', '/event/all?limit=5000'), 400, /limit/],
      ['unknown id', call('GET', '/event/id/3f1d0bd6-0000-4000-8000-000000000000'), 404, /not found/],
      ['bad resourceNames', call('GET', `/reading/device/name/d1/start/0/end/10`, { resourceNames: 'x' }), 400, /resourceNames/],
    ];
    for (const [what, pending, status, message] of cases) {
      const r = await pending;
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.statusCode, status, what);
      assert.match(r.body.message, message, what);
    }
    // Still serving.
    assert.equal((await call('GET', '/event/count')).body.count, 3);
    // An offset into an empty result is not an error (EdgeX CheckCountRange): nothing to page through.
    const none = await call('GET', '/event/device/name/no-such-device?offset=5');
    assert.equal(none.status, 200);
    assert.deepEqual([none.body.totalCount, none.body.events], [0, []]);
  });

  it("POST /event in CBOR as EdgeX's Go device SDK sends a Binary event: stored, read back as EdgeX's JSON", async () => {
    const { id, serviceName, profileName, deviceName, sourceName } = EDGEX_CBOR_EVENT;
    const r = await call('POST', `/event/${serviceName}/${profileName}/${deviceName}/${sourceName}`, edgexCbor.addEventRequest, {
      'content-type': 'application/cbor',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.id, id);
    const got = await call('GET', `/event/id/${id}`);
    assert.equal(got.status, 200);
    const edgex = parseJson(edgexCbor.eventJson) as { readings: { binaryValue?: string; mediaType?: string }[] };
    // Exactly EdgeX's JSON of the event, origins beyond 2^53 included.
    assert.deepEqual((parseJson(got.text) as { event: unknown }).event, edgex);
    assert.equal(got.body.event.readings[0].binaryValue, edgex.readings[0].binaryValue);
    assert.equal(got.body.event.readings[0].mediaType, 'image/png');
    assert.equal((await call('DELETE', `/event/id/${id}`)).status, 200);
  });

  describe("EdgeX 4's reading query options", () => {
    // Two events of device agg: 64-bit integers beyond 2^53, floats, strings, an integer array.
    const reading = (resourceName: string, valueType: string, value: string) => ({ resourceName, valueType, value });
    const aggEvent = (origin: number, rs: { resourceName: string; valueType: string; value: string }[]) => {
      const e = makeEvent({ deviceName: 'agg', origin, resources: rs.map((r) => r.resourceName) });
      e.readings.forEach((r, i) => Object.assign(r, { valueType: rs[i].valueType, value: rs[i].value, units: undefined }));
      return e;
    };
    const before1 = aggEvent(T0 + 20 * K, [
      reading('i', 'Int64', '9007199254740993'),
      reading('f', 'Float64', '2.150000e+01'),
      reading('s', 'String', 'x'),
      reading('u', 'Uint8Array', '[1, 2, 255]'),
    ]);
    const before2 = aggEvent(T0 + 21 * K, [reading('i', 'Int64', '2'), reading('f', 'Float64', '1.000000e+00'), reading('s', 'String', 'y')]);
    // A Binary reading: no numeric value, and no `value` key in EdgeX's aggregate of it.
    const picture = aggEvent(T0 + 22 * K, [reading('p', 'Int8', '0')]);
    Object.assign(picture.readings[0], { valueType: 'Binary', value: undefined, binaryValue: 'AAEC', mediaType: 'image/png' });
    const group = (resourceName: string, valueType: string, value: unknown) => ({ deviceName: 'agg', profileName: 'prof', resourceName, valueType, value });

    before(async () => {
      for (const e of [before1, before2, picture]) assert.equal((await post(e)).status, 201);
    });
    after(async () => {
      for (const e of [before1, before2, picture]) assert.equal((await call('DELETE', `/event/id/${e.id}`)).status, 200);
    });

    it('aggregateFunc: one reading per device, profile, resource and value type, as EdgeX computes it in SQL', async () => {
      const agg = async (fn: string) => {
        const r = await call('GET', `/reading/device/name/agg?aggregateFunc=${fn}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.aggregateFunc, fn);
        assert.equal(r.body.totalCount, undefined);
        const body = parseJson(r.text) as { readings: { resourceName: string }[] };
        return body.readings.sort((a, b) => a.resourceName.localeCompare(b.resourceName));
      };
      const { value: _none, ...binaryGroup } = group('p', 'Binary', undefined);
      assert.deepEqual(await agg('SUM'), [
        group('f', 'Float64', 22.5),
        group('i', 'Int64', 9007199254740995n),
        binaryGroup,
        group('s', 'String', ''),
        group('u', 'Uint8Array', ''),
      ]);
      assert.deepEqual(await agg('max'), [
        group('f', 'Float64', 21.5),
        group('i', 'Int64', 9007199254740993n),
        binaryGroup,
        group('s', 'String', ''),
        group('u', 'Uint8Array', ''),
      ]);
      assert.deepEqual(
        (await agg('Min')).map((r) => (r as { value?: unknown }).value),
        [1, 2, undefined, '', ''],
      );
      assert.deepEqual(await agg('COUNT'), [
        group('f', 'Uint64', 2),
        group('i', 'Uint64', 2),
        group('p', 'Uint64', 0),
        group('s', 'Uint64', 0),
        group('u', 'Uint64', 0),
      ]);
      assert.deepEqual((await agg('avg')).slice(0, 2), [group('f', 'Float64', 11.25), group('i', 'Float64', 4503599627370497.5)]);
      // Groups are paged by offset/limit.
      const paged = await call('GET', '/reading/device/name/agg?aggregateFunc=COUNT&offset=1&limit=2');
      assert.equal(paged.body.readings.length, 2);
    });

    it('numeric=true: numeric values as JSON numbers (64-bit exact, arrays too), others unchanged; on events too', async () => {
      const r = await call('GET', '/reading/device/name/agg?numeric=true&limit=-1');
      assert.equal(r.status, 200, r.text);
      const values = Object.fromEntries(
        (parseJson(r.text) as { readings: { id: string; resourceName: string; value: unknown }[] }).readings
          .filter((x) => before1.readings.some((b) => b.id === x.id))
          .map((x) => [x.resourceName, x.value]),
      );
      assert.deepEqual(values, { i: 9007199254740993n, f: 21.5, s: 'x', u: [1, 2, 255] });
      const plain = await call('GET', '/reading/device/name/agg?numeric=false');
      assert.ok(plain.body.readings.every((x: { value: unknown; valueType: string }) => x.valueType === 'Binary' || typeof x.value === 'string'));
      const events = await call('GET', '/event/device/name/agg?numeric=true');
      const floats = events.body.events.flatMap((e: { readings: { resourceName: string; value: unknown }[] }) =>
        e.readings.filter((x) => x.resourceName === 'f').map((x) => x.value),
      );
      assert.deepEqual(floats.sort(), [1, 21.5]);
    });

    it('offset=-1: the first page without counting (totalCount 0), as EdgeX 4', async () => {
      const r = await call('GET', '/reading/device/name/agg?offset=-1&limit=3');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.totalCount, 0);
      assert.equal(r.body.readings.length, 3);
    });

    it('a bad value of an option is a 400 naming it', async () => {
      for (const [query, name] of [
        ['aggregateFunc=MEDIAN', /aggregateFunc/],
        ['numeric=maybe', /numeric/],
        ['offset=-2', /offset/],
      ] as const) {
        const r = await call('GET', `/reading/device/name/agg?${query}`);
        assert.equal(r.status, 400, `${query}: ${r.text}`);
        assert.match(r.body.message, name);
      }
    });
  });

  it('413 when an event is over MaxEventSize', async () => {
    const small = await startTestCoreData({ overrides: { MaxEventSize: 1 } });
    try {
      // EdgeX's CBOR event (860 bytes) fits; sent chunked (no Content-Length) with 400 more bytes of tags, it does not.
      const { serviceName, profileName, deviceName, sourceName } = EDGEX_CBOR_EVENT;
      const request = decode<{ event: { tags: Record<string, string> } }>(new Uint8Array(edgexCbor.addEventRequest));
      request.event.tags.note = 'x'.repeat(400);
      const chunked = await fetch(`http://127.0.0.1:${small.restPort}/api/v3/event/${serviceName}/${profileName}/${deviceName}/${sourceName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cbor' },
        body: new ReadableStream({ start: (c) => (c.enqueue(encode(request)), c.close()) }),
        duplex: 'half',
      });
      assert.equal(chunked.status, 413, await chunked.text());
      const e = makeEvent({ resources: 40 });
      const r = await fetch(`http://127.0.0.1:${small.restPort}/api/v3/event/ds/${e.profileName}/${e.deviceName}/${e.sourceName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stringifyJson(addEventRequest(e)),
      });
      assert.equal(r.status, 413);
      assert.match(((await r.json()) as { message: string }).message, /MaxEventSize/);
    } finally {
      await small.stop();
    }
  });

  it('keeps events across a restart, then deletes by id, device and age', async () => {
    await cd.stop();
    cd = await startTestCoreData({ dbPath });
    base = `http://127.0.0.1:${cd.restPort}/api/v3`;
    assert.equal((await call('GET', '/event/count')).body.count, 3);

    assert.equal((await call('DELETE', `/event/id/${e2.id}`)).status, 200);
    assert.equal((await call('DELETE', `/event/id/${e2.id}`)).status, 404);
    const r = await call('DELETE', '/event/device/name/d2');
    assert.equal(r.status, 202);
    await waitFor('d2 deleted', async () => (await call('GET', '/event/count/device/name/d2')).body.count === 0);
    assert.equal((await call('GET', '/reading/count')).body.count, 2);

    const fresh = makeEvent({ deviceName: 'd3', origin: Date.now() * 1e6 });
    assert.equal((await post(fresh)).status, 201);
    // Everything older than one hour goes (e1 from 2023); the fresh event stays.
    assert.equal((await call('DELETE', `/event/age/${3600 * 1e9}`)).status, 202);
    await waitFor('old events deleted', async () => (await call('GET', '/event/count')).body.count === 1);
    assert.equal((await call('GET', '/event/all')).body.events[0].id, fresh.id);
    assert.equal((await call('DELETE', '/event/age/-5')).status, 400);
  });
});
