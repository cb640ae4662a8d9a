import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EdgeXError, type ResourceProperties } from '@edgex-ts/contracts';
import type { CommandValue } from '../driver.js';
import { AssertionError, NAN, OVERFLOW, applyMappings, checkAssertion, processReadValue, transformReadValue } from './read.js';
import { checkBounds, parameterOrDefault, processWriteValue, reverseMapping, transformWriteValue } from './write.js';

// Numbers may come as numeric strings (YAML profiles quote them), which the ResourceProperties type does not say.
const props = (p: { valueType: string } & Record<string, unknown>): ResourceProperties => ({ readWrite: 'RW', ...p }) as ResourceProperties;
const cv = (valueType: string, value: CommandValue['value']): CommandValue => ({ deviceResourceName: 'R', valueType, value });
const invalid = (re: RegExp) => (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && re.test(err.message);

describe('read transforms', () => {
  test('no transform fields: value unchanged (same object)', () => {
    const v = cv('Int16', 7);
    assert.equal(transformReadValue(v, props({ valueType: 'Int16' })), v);
  });
  test('mask then shift on unsigned integers', () => {
    assert.equal(transformReadValue(cv('Uint16', 0xabcd), props({ valueType: 'Uint16', mask: 0xff00, shift: -8 })).value, 0xab);
    assert.equal(transformReadValue(cv('Uint8', 0x0f), props({ valueType: 'Uint8', shift: 4 })).value, 0xf0);
    assert.equal(transformReadValue(cv('Uint64', 2n ** 64n - 1n), props({ valueType: 'Uint64', mask: 0xff })).value, 0xffn);
  });
  test('a uint64 mask beyond 2^53 and a shift as profiles hold them (bigint, string) apply exactly', () => {
    const all = 2n ** 64n - 1n;
    assert.equal(transformReadValue(cv('Uint64', all), props({ valueType: 'Uint64', mask: 0xfffffffffffffff0n })).value, 0xfffffffffffffff0n);
    assert.equal(transformReadValue(cv('Uint64', all), props({ valueType: 'Uint64', mask: '18446744073709551601', shift: -60n })).value, 0xfn);
    assert.equal(transformReadValue(cv('Uint64', all), props({ valueType: 'Uint64', shift: 10n ** 18n })).value, 0n);
  });

  test('mask and shift are ignored for signed and float types', () => {
    assert.equal(transformReadValue(cv('Int16', 0x1234), props({ valueType: 'Int16', mask: 0xff })).value, 0x1234);
  });
  test('base → scale → offset, in that order (numeric strings accepted)', () => {
    assert.equal(transformReadValue(cv('Float64', 2), props({ valueType: 'Float64', base: 10, scale: '0.5', offset: 1 })).value, 51);
    assert.equal(transformReadValue(cv('Float32', 215), props({ valueType: 'Float32', scale: 0.1 })).value, Math.fround(21.5));
    assert.equal(transformReadValue(cv('Int32', 20), props({ valueType: 'Int32', scale: 3, offset: -5 })).value, 55);
    assert.equal(transformReadValue(cv('Int64', 2n ** 40n), props({ valueType: 'Int64', scale: 2, offset: 1 })).value, 2n ** 41n + 1n);
  });
  test('out of the value type range → String reading "overflow"', () => {
    const r = transformReadValue(cv('Int8', 100), props({ valueType: 'Int8', scale: 2 }));
    assert.deepEqual([r.valueType, r.value], ['String', OVERFLOW]);
    assert.equal(transformReadValue(cv('Uint8', 1), props({ valueType: 'Uint8', offset: -2 })).value, OVERFLOW);
    assert.equal(transformReadValue(cv('Float32', 1e30), props({ valueType: 'Float32', scale: 1e10 })).value, OVERFLOW);
  });
  test('NaN → String reading "NaN"', () => {
    const r = transformReadValue(cv('Float64', Number.NaN), props({ valueType: 'Float64', scale: 2 }));
    assert.deepEqual([r.valueType, r.value], ['String', NAN]);
  });
  test('non-numeric values pass through', () => {
    const v = cv('Bool', true);
    assert.equal(transformReadValue(v, props({ valueType: 'Bool', scale: 2 })), v);
  });
  test('assertion mismatch throws AssertionError (marks the device DOWN)', () => {
    checkAssertion(cv('Int16', 1), props({ valueType: 'Int16', assertion: '1' }));
    checkAssertion(cv('Bool', true), props({ valueType: 'Bool', assertion: 'true' }));
    assert.throws(
      () => checkAssertion(cv('Int16', 2), props({ valueType: 'Int16', assertion: '1' })),
      (e: unknown) => e instanceof AssertionError && e.markDeviceDown && /assertion failed: read 2, expected 1/.test(e.message),
    );
  });
  test('mappings turn raw values into strings', () => {
    const m = { true: 'ON', false: 'OFF', '3': 'three' };
    assert.deepEqual(applyMappings(cv('Bool', true), m), { deviceResourceName: 'R', valueType: 'String', value: 'ON' });
    assert.equal(applyMappings(cv('Int8', 3), m).value, 'three');
    assert.equal(applyMappings(cv('Int8', 4), m).value, 4);
  });
  test('processReadValue: transforms only when dataTransform', () => {
    const p = props({ valueType: 'Int16', scale: 10 });
    assert.equal(processReadValue(cv('Int16', 3), p, { '30': 'thirty' }, true).value, 'thirty');
    assert.equal(processReadValue(cv('Int16', 3), p, undefined, false).value, 3);
  });
});

describe('write transforms', () => {
  test('defaults: request value, else the operation default, else the resource default', () => {
    const p = props({ valueType: 'Int8', defaultValue: '5' });
    assert.equal(parameterOrDefault('R', '1', '2', p), '1');
    assert.equal(parameterOrDefault('R', undefined, '2', p), '2');
    assert.equal(parameterOrDefault('R', undefined, undefined, p), '5');
    assert.throws(() => parameterOrDefault('R', undefined, undefined, props({ valueType: 'Int8' })), invalid(/^R: no value given/));
  });
  test('reverse mappings', () => {
    assert.equal(reverseMapping('ON', { true: 'ON' }), 'true');
    assert.equal(reverseMapping('x', { true: 'ON' }), 'x');
  });
  test('minimum/maximum: error names the resource and the bound', () => {
    const p = props({ valueType: 'Int8', minimum: -10, maximum: '10' });
    checkBounds('Temp', 10, p);
    assert.throws(() => checkBounds('Temp', 11, p), invalid(/^Temp: 11 is above the maximum 10$/));
    assert.throws(() => checkBounds('Temp', -11n, p), invalid(/^Temp: -11 is below the minimum -10$/));
  });
  test('inverse offset → scale → base', () => {
    assert.equal(transformWriteValue('R', 'Float64', 51, props({ valueType: 'Float64', base: 10, scale: 0.5, offset: 1 })), 2);
    assert.equal(transformWriteValue('R', 'Int16', 55, props({ valueType: 'Int16', scale: 3, offset: -5 })), 20);
    assert.equal(transformWriteValue('R', 'Int64', 2n ** 40n + 1n, props({ valueType: 'Int64', offset: 1 })), 2n ** 40n);
    assert.throws(() => transformWriteValue('R', 'Uint8', 1, props({ valueType: 'Uint8', offset: 2 })), invalid(/^R: 1 overflows Uint8/));
  });
  test('processWriteValue: string → typed value, mapped, bounded, transformed', () => {
    const p = props({ valueType: 'Float32', scale: 0.1, maximum: 100 });
    assert.deepEqual(processWriteValue({ resourceName: 'T', props: p, given: '21.5', dataTransform: true }), {
      deviceResourceName: 'T',
      valueType: 'Float32',
      value: 215,
    });
    assert.deepEqual(processWriteValue({ resourceName: 'T', props: p, given: '21.5', dataTransform: false }).value, 21.5);
    assert.throws(() => processWriteValue({ resourceName: 'T', props: p, given: 'warm', dataTransform: true }), invalid(/^T: "warm" is not a valid Float32/));
    assert.throws(() => processWriteValue({ resourceName: 'T', props: p, given: '101', dataTransform: true }), invalid(/maximum 100/));
    const fan = props({ valueType: 'Bool', defaultValue: 'false' });
    assert.equal(processWriteValue({ resourceName: 'Fan', props: fan, given: 'ON', mappings: { true: 'ON' }, dataTransform: true }).value, true);
    assert.equal(processWriteValue({ resourceName: 'Fan', props: fan, given: undefined, dataTransform: true }).value, false);
    assert.equal(
      processWriteValue({ resourceName: 'N', props: props({ valueType: 'Uint64' }), given: '18446744073709551615', dataTransform: true }).value,
      2n ** 64n - 1n,
    );
  });
});
