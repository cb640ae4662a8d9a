import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkValue, decodeValue, encodeValue, exactInteger, formatGoE } from './values.js';
import { EventSchema } from './dto/event.js';
import { parseDto } from './dto/parse.js';
import { EdgeXError } from './errors.js';

test('floats are written in Go %e form', () => {
  assert.equal(encodeValue('Float64', 12.345), '1.234500e+01');
  assert.equal(encodeValue('Float64', -0.03), '-3.000000e-02');
  assert.equal(encodeValue('Float64', 0), '0.000000e+00');
  assert.equal(encodeValue('Float64', 1e-300), '1.000000e-300');
  assert.equal(encodeValue('Float64', 9999999.5), '1.000000e+07');
  assert.equal(encodeValue('Float64', NaN), 'NaN');
  assert.equal(encodeValue('Float64', Infinity), '+Inf');
  assert.equal(encodeValue('Float64', -Infinity), '-Inf');
  assert.equal(formatGoE(-0), '-0.000000e+00');
});

test('Float32 values are rounded to float32 before formatting', () => {
  assert.equal(encodeValue('Float32', 21.5), '2.150000e+01');
  // 0.1 as float32 is 0.100000001490116…, still 1.000000e-01 at 6 digits
  assert.equal(encodeValue('Float32', 0.1), '1.000000e-01');
  // 16777217 is not representable as float32: it becomes 16777216
  assert.equal(encodeValue('Float32', 16777217), '1.677722e+07');
  assert.equal(encodeValue('Float64', 16777217), '1.677722e+07');
  assert.throws(() => encodeValue('Float32', 1e39), /out of range for Float32/);
});

test('exact ties round half to even, as Go does', () => {
  assert.equal(formatGoE(1234568.5), '1.234568e+06');
  assert.equal(formatGoE(1234567.5), '1.234568e+06');
  assert.equal(formatGoE(0.5), '5.000000e-01');
});

test('integers and bools are decimal / true / false', () => {
  assert.equal(encodeValue('Int16', -32768), '-32768');
  assert.equal(encodeValue('Uint8', 255), '255');
  assert.equal(encodeValue('Bool', true), 'true');
  assert.equal(encodeValue('Bool', false), 'false');
  assert.equal(encodeValue('String', 'hello world'), 'hello world');
  assert.throws(() => encodeValue('Uint8', 256), /out of range for Uint8/);
  assert.throws(() => encodeValue('Int32', 1.5), /not a valid Int32/);
});

test('arrays are [a, b, c] and float arrays use %e per element', () => {
  assert.equal(encodeValue('Int32Array', [1, 2, 3]), '[1, 2, 3]');
  assert.equal(encodeValue('BoolArray', [true, false]), '[true, false]');
  assert.equal(encodeValue('Float64Array', [1, 2.5]), '[1.000000e+00, 2.500000e+00]');
  assert.equal(encodeValue('Uint8Array', []), '[]');
  assert.deepEqual(decodeValue('Int32Array', '[1, 2, 3]'), [1, 2, 3]);
  assert.deepEqual(decodeValue('Int32Array', '[1 2 3]'), [1, 2, 3]);
  assert.deepEqual(decodeValue('Float64Array', '[1.000000e+00, 2.500000e+00]'), [1, 2.5]);
  assert.deepEqual(decodeValue('StringArray', '[a, b c]'), ['a', 'b c']);
  assert.deepEqual(decodeValue('StringArray', '["a","b"]'), ['a', 'b']);
  assert.deepEqual(decodeValue('BoolArray', '[]'), []);
  assert.throws(() => decodeValue('Int8Array', '[1, 300]'), /Int8Array element 1: 300 is out of range for Int8/);
});

test('Int64 and Uint64 beyond 2^53 round-trip exactly as bigint', () => {
  const big = '18446744073709551615';
  assert.equal(decodeValue('Uint64', big), 18446744073709551615n);
  assert.equal(encodeValue('Uint64', decodeValue('Uint64', big)), big);
  assert.equal(encodeValue('Int64', -9223372036854775808n), '-9223372036854775808');
  assert.equal(decodeValue('Int64', '9007199254740993'), 9007199254740993n);
  assert.deepEqual(decodeValue('Uint64Array', '[18446744073709551615, 1]'), [18446744073709551615n, 1n]);
  assert.throws(() => checkValue('Uint64', '18446744073709551616'), /out of range for Uint64/);
});

test('decodeValue accepts what Go strconv accepts', () => {
  assert.equal(decodeValue('Bool', 'true'), true);
  assert.equal(decodeValue('Bool', 'F'), false);
  assert.equal(decodeValue('Bool', '1'), true);
  assert.equal(decodeValue('Int8', '+12'), 12);
  assert.equal(decodeValue('Float64', '1.234500e+01'), 12.345);
  assert.equal(decodeValue('Float32', '2.150000e+01'), 21.5);
  assert.ok(Number.isNaN(decodeValue('Float64', 'NaN')));
  assert.equal(decodeValue('Float64', '+Inf'), Infinity);
  assert.deepEqual(decodeValue('Object', '{"a":1}'), { a: 1 });
  assert.deepEqual(decodeValue('Binary', 'AQID'), new Uint8Array([1, 2, 3]));
});

test('checkValue names the problem with a ContractInvalid error', () => {
  const expectInvalid = (t: string, v: string, re: RegExp) =>
    assert.throws(
      () => checkValue(t, v),
      (e: unknown) => e instanceof EdgeXError && e.kind === 'ContractInvalid' && re.test(e.message),
    );
  expectInvalid('Int16', 'abc', /"abc" is not a valid Int16/);
  expectInvalid('Int16', '70000', /70000 is out of range for Int16/);
  expectInvalid('Uint8', '300', /300 is out of range for Uint8/);
  expectInvalid('Uint8', '-1', /out of range for Uint8/);
  expectInvalid('Bool', 'yes', /not a valid Bool/);
  expectInvalid('Float64', '1.2.3', /not a valid Float64/);
  expectInvalid('Float64', '1e400', /out of range for Float64/);
  expectInvalid('Float32', '1e39', /out of range for Float32/);
  expectInvalid('Int32', '1.5', /not a valid Int32/);
  expectInvalid('Nope', '1', /unknown valueType/);
  checkValue('String', '');
  checkValue('Float32', '3.402823e+38');
});

test('Object values keep integers beyond 2^53 exact', () => {
  assert.deepEqual(decodeValue('Object', '{"count":18446744073709551615,"n":1}'), { count: 18446744073709551615n, n: 1 });
});

test('event and reading origins beyond 2^53 stay exact through validation; safe ones are numbers', () => {
  const reading = { origin: 1796657960933599539n, deviceName: 'd', resourceName: 'r', profileName: 'p', valueType: 'Int64', value: '9223372036854775807' };
  const event = parseDto(
    EventSchema,
    { id: '8b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c', deviceName: 'd', profileName: 'p', sourceName: 's', origin: 1796657960933599538n, readings: [reading] },
    'event',
  );
  assert.equal(event.origin, 1796657960933599538n);
  assert.equal(event.readings[0].origin, 1796657960933599539n);
  assert.equal(exactInteger(9007199254740991n), 9007199254740991);
  assert.equal(exactInteger(9007199254740992n), 9007199254740992n);
  assert.throws(() => parseDto(EventSchema, { ...event, origin: 2n ** 63n }, 'event'), /event\.origin: is out of the int64 range/);
});
