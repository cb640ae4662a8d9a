import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeXError } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJson, stringifyJson } from './json.js';

describe('parseJson', () => {
  it('keeps integers beyond 2^53 exact as bigint, and only those', () => {
    const v = parseJson(
      '{"origin":1796657960933599538,"min":-9223372036854775808,"max":18446744073709551615,"safe":9007199254740991,"float":1.5e20,"frac":12345678901234567.5,"text":"1796657960933599538"}',
    );
    assert.deepEqual(v, {
      origin: 1796657960933599538n,
      min: -9223372036854775808n,
      max: 18446744073709551615n,
      safe: 9007199254740991,
      float: 1.5e20,
      frac: 12345678901234567.5,
      text: '1796657960933599538',
    });
  });

  it('reads Buffers, escaped quotes and strings holding control characters', () => {
    const text = '{"a\\"":"x\\\\","nul":"\\u0000123","one":"\\u0001","n":[12345678901234567890]}';
    assert.deepEqual(parseJson(Buffer.from(text)), { 'a"': 'x\\', nul: '\u0000123', one: '\u0001', n: [12345678901234567890n] });
  });

  it('refuses nesting deeper than the limit with ContractInvalid naming it, not a stack overflow', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.throws(
      () => parseJson(deep, { what: 'request body' }),
      (e: unknown) => e instanceof EdgeXError && e.kind === 'ContractInvalid' && /request body: .*deeper than 256/.test(e.message),
    );
    const atLimit = '{"a":'.repeat(DEFAULT_MAX_JSON_DEPTH - 1) + '[]' + '}'.repeat(DEFAULT_MAX_JSON_DEPTH - 1);
    assert.doesNotThrow(() => parseJson(atLimit));
    assert.doesNotThrow(() => parseJson(JSON.stringify({ s: '['.repeat(5000) })), 'brackets inside strings do not count');
  });

  it('skips a byte order mark, as express.json did', () => {
    assert.deepEqual(parseJson(Buffer.from('\ufeff{"a":1}')), { a: 1 });
  });

  it('reports invalid JSON as JSON.parse does', () => {
    assert.throws(() => parseJson('{"a":01234567890123456789}'), SyntaxError);
    assert.throws(() => parseJson('{"a":'), SyntaxError);
  });
});

describe('stringifyJson', () => {
  it('writes bigints as JSON numbers', () => {
    assert.equal(
      stringifyJson({ origin: 1796657960933599538n, values: [-(2n ** 63n), 2n ** 64n - 1n, 5n], n: 1 }),
      '{"origin":1796657960933599538,"values":[-9223372036854775808,18446744073709551615,5],"n":1}',
    );
  });

  it('round-trips with parseJson, strings holding the marker characters included', () => {
    const value = { s: '\u0000123', t: '\u0001', k: { '\u0000': 1n }, big: 1796657960933599538n, arr: ['\u00002'] };
    const text = stringifyJson(value);
    assert.deepEqual(parseJson(text), { ...value, k: { '\u0000': 1 } });
  });

  it('is JSON.stringify without bigints', () => {
    const value = { a: [1, 'x', null, true], b: { c: 1.5 }, d: undefined };
    assert.equal(stringifyJson(value), JSON.stringify(value));
    assert.equal(stringifyJson(value, 2), JSON.stringify(value, null, 2));
    assert.equal(stringifyJson(undefined), undefined);
  });
});
