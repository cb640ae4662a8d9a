import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddEventRequestSchema, EventSchema, stringifyJson } from '@edgex-ts/contracts';
import { fastAddEventRequest, fastEvent } from './fast-event-check.js';
import { addEventRequest, makeEvent } from '../test-support/events.js';

/** Deep copy of the test event with `edit` applied (so each case starts from a valid event). */
function variant(edit: (e: any) => void): unknown {
  const e = structuredClone(makeEvent({ resources: 3 })) as any;
  edit(e);
  return e;
}

describe('fast event check', () => {
  it('accepts the common shape and returns what the zod schema returns', () => {
    const cases = [
      makeEvent({ resources: 10 }), // ns origins beyond 2^53, as bigint: the ingest hot path
      makeEvent({ resources: 2, origin: 1000 }),
      variant((e) => (e.apiVersion = 'v3')),
      variant((e) => delete e.readings[0].id),
      variant((e) => delete e.readings[1].units),
      variant((e) => {
        e.readings[0].valueType = 'Float64';
        e.readings[0].value = '2.1e+01';
      }),
    ];
    for (const c of cases) {
      const fast = fastEvent(c);
      assert.ok(fast, `fast path should accept ${stringifyJson(c)}`);
      assert.deepEqual(fast, EventSchema.parse(c));
    }
    const req = addEventRequest(makeEvent({}));
    assert.deepEqual(fastAddEventRequest(req), AddEventRequestSchema.parse(req));
    assert.ok(fastAddEventRequest({ apiVersion: 'v3', event: makeEvent({}) }));
  });

  it('leaves anything unusual or invalid to the zod schema', () => {
    const cases = [
      null,
      [],
      'event',
      variant((e) => (e.id = 'not-a-uuid')),
      variant((e) => (e.deviceName = '  ')),
      variant((e) => (e.origin = 1.5)),
      variant((e) => (e.origin = 10n)),
      variant((e) => (e.origin = 2n ** 63n)),
      variant((e) => (e.readings = [])),
      variant((e) => (e.tags = { a: 1 })),
      variant((e) => (e.extra = 1)),
      variant((e) => (e.units = undefined)),
      variant((e) => (e.readings[0].valueType = 'Nope')),
      variant((e) => (e.readings[0].value = 'abc')),
      variant((e) => delete e.readings[0].value),
      variant((e) => (e.readings[0].units = undefined)),
      variant((e) => (e.readings[0].tags = { a: 1 })),
      variant((e) => (e.readings[0].valueType = 'Binary')),
      variant((e) => (e.readings[0].mediaType = 'text/plain')),
      variant((e) => (e.readings[2].id = 'x')),
      variant((e) => delete e.readings[2].resourceName),
    ];
    for (const c of cases)
      assert.equal(fastEvent(c), undefined, `fast path should defer ${String(JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))}`);
    for (const bad of [
      { event: makeEvent({}) },
      { apiVersion: ' ', event: makeEvent({}) },
      { apiVersion: 'v3', requestId: 'x', event: makeEvent({}) },
      { apiVersion: 'v3', event: variant((e) => (e.id = 1)) },
    ]) {
      assert.equal(fastAddEventRequest(bad), undefined);
    }
  });
});
