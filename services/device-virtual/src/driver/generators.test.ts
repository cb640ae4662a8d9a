import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGenerator } from './generators.js';
import { BIG_INT_RANGES, NUMBER_INT_RANGES, type VirtualValueType } from './value-types.js';

const N = 2000;
const sample = (g: { next(): unknown }, n = N) => Array.from({ length: n }, () => g.next());

test('random integers stay within the type range and use both ends of small ranges', () => {
  for (const [t, [lo, hi]] of Object.entries(NUMBER_INT_RANGES)) {
    const vs = sample(createGenerator({ resource: t, valueType: t as VirtualValueType })) as number[];
    for (const v of vs) assert.ok(Number.isInteger(v) && v >= lo && v <= hi, `${t}: ${v}`);
    if (t === 'Int8' || t === 'Uint8') {
      assert.ok(vs.some((v) => v < lo + 64) && vs.some((v) => v > hi - 64), `${t} spread`);
    }
  }
  const bits = createGenerator({ resource: 'b', valueType: 'Uint8', minimum: 0, maximum: 1 });
  const seen = new Set(sample(bits, 200));
  assert.deepEqual([...seen].sort(), [0, 1]);
});

test('random respects profile minimum/maximum (clamped to the type range)', () => {
  const g = createGenerator({ resource: 'Int16', valueType: 'Int16', minimum: -100, maximum: '100' });
  for (const v of sample(g) as number[]) assert.ok(v >= -100 && v <= 100, String(v));
  const clamped = createGenerator({ resource: 'Int8', valueType: 'Int8', minimum: -1000, maximum: 1000 });
  for (const v of sample(clamped) as number[]) assert.ok(v >= -128 && v <= 127, String(v));
  const f = createGenerator({ resource: 'F', valueType: 'Float32', minimum: 0.1, maximum: 0.3 });
  for (const v of sample(f) as number[]) {
    assert.ok(v >= 0.1 && v <= 0.3, String(v));
    assert.equal(Math.fround(v), v, 'Float32 values are representable as float32');
  }
  const d = createGenerator({ resource: 'D', valueType: 'Float64', minimum: -5.5, maximum: -5.25 });
  for (const v of sample(d) as number[]) assert.ok(v >= -5.5 && v <= -5.25, String(v));
});

test('64-bit integers are exact bigints over the whole range', () => {
  for (const t of ['Int64', 'Uint64'] as const) {
    const [lo, hi] = BIG_INT_RANGES[t];
    const vs = sample(createGenerator({ resource: t, valueType: t })) as bigint[];
    for (const v of vs) assert.ok(typeof v === 'bigint' && v >= lo && v <= hi, `${t}: ${v}`);
    // most values of a uniform 64-bit draw are beyond Number's exact range
    assert.ok(vs.filter((v) => v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)).length > N / 2);
  }
  const g = createGenerator({ resource: 'U', valueType: 'Uint64', minimum: 10, maximum: 12 });
  assert.deepEqual([...new Set(sample(g, 300) as bigint[])].sort(), [10n, 11n, 12n]);
});

test('full-range floats are finite', () => {
  for (const t of ['Float32', 'Float64'] as const) {
    for (const v of sample(createGenerator({ resource: t, valueType: t })) as number[]) assert.ok(Number.isFinite(v), `${t}: ${v}`);
  }
});

test('Bool, String and Binary', () => {
  assert.deepEqual(new Set(sample(createGenerator({ resource: 'B', valueType: 'Bool' }), 200)), new Set([true, false]));
  for (const s of sample(createGenerator({ resource: 'S', valueType: 'String' }), 50)) assert.match(s as string, /^[A-Za-z0-9]{8,16}$/);
  const bin = createGenerator({ resource: 'Bin', valueType: 'Binary', attributes: { size: 5 } }).next();
  assert.ok(bin instanceof Uint8Array && bin.length === 5);
});

test('ramp starts at minimum, steps and wraps at maximum', () => {
  const g = createGenerator({ resource: 'R', valueType: 'Int16', minimum: 10, maximum: 20, attributes: { generator: 'ramp', step: 5 } });
  assert.deepEqual(sample(g, 7), [10, 15, 20, 10, 15, 20, 10]);
  const z = createGenerator({ resource: 'R', valueType: 'Uint8', attributes: { generator: 'ramp' } });
  const vs = sample(z, 258) as number[];
  assert.deepEqual(vs.slice(0, 3), [0, 1, 2]);
  assert.equal(vs[255], 255);
  assert.equal(vs[256], 0, 'wraps at the type maximum');
  const neg = createGenerator({ resource: 'R', valueType: 'Int8', maximum: 2, minimum: -1, attributes: { generator: 'RAMP', step: -1 } });
  assert.deepEqual(sample(neg, 5), [2, 1, 0, -1, 2]);
  const f = createGenerator({ resource: 'F', valueType: 'Float64', minimum: 0, maximum: 0.3, attributes: { generator: 'ramp', step: 0.1 } });
  assert.deepEqual(sample(f, 5), [0, 0.1, 0.2, 0, 0.1], '0.30000000000000004 is past the maximum: wrap');
  const big = createGenerator({ resource: 'U', valueType: 'Uint64', attributes: { generator: 'ramp', step: 2 ** 63 } });
  assert.deepEqual(sample(big, 3), [0n, 2n ** 63n, 0n], 'exact bigint steps, wraps at 2^64-1');
  const b2 = createGenerator({ resource: 'I', valueType: 'Int64', minimum: -2, maximum: 1, attributes: { generator: 'ramp', step: 2 } });
  assert.deepEqual(sample(b2, 4), [-2n, 0n, -2n, 0n]);
  const bool = createGenerator({ resource: 'B', valueType: 'Bool', attributes: { generator: 'ramp' } });
  assert.deepEqual(sample(bool, 3), [false, true, false]);
});

test('invalid specs fail naming the resource and field', () => {
  assert.throws(() => createGenerator({ resource: 'X', valueType: 'Int8', attributes: { generator: 'sine' } }), /X: attributes\.generator/);
  assert.throws(() => createGenerator({ resource: 'X', valueType: 'Int8', minimum: 5, maximum: 1 }), /X: properties\.minimum/);
  assert.throws(() => createGenerator({ resource: 'X', valueType: 'Int8', maximum: 'abc' }), /X: properties\.maximum/);
  assert.throws(() => createGenerator({ resource: 'X', valueType: 'Int8', attributes: { generator: 'ramp', step: 0.5 } }), /X: attributes\.step/);
  assert.throws(() => createGenerator({ resource: 'X', valueType: 'String', attributes: { generator: 'ramp' } }), /X: attributes\.generator/);
});
