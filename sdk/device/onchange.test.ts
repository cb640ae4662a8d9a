import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { Event, Reading } from '@edgex-ts/contracts';
import { waitFor } from '../../test/helpers/wait.js';
import { AutoEventManager } from './autoevents.js';
import { ChangeFilter } from './onchange.js';

const reading = (resourceName: string, valueType: string, value: string, extra: Partial<Reading> = {}): Reading =>
  ({ id: '1', origin: 1, deviceName: 'D', profileName: 'P', resourceName, valueType, value, ...extra }) as Reading;
const event = (...readings: Reading[]): Event => ({ apiVersion: 'v3', id: '1', deviceName: 'D', profileName: 'P', sourceName: 'S', origin: 1, readings });

test('onChange without threshold: the first event and every change pass, repeats do not', () => {
  const f = new ChangeFilter();
  assert.equal(f.accept(event(reading('T', 'Float64', '2.150000e+01'))), true);
  assert.equal(f.accept(event(reading('T', 'Float64', '2.150000e+01'))), false);
  assert.equal(f.accept(event(reading('T', 'Float64', '2.150001e+01'))), true);
  assert.equal(f.accept(event(reading('S', 'String', 'on'))), true, 'another resource set is a change');
  assert.equal(f.accept(event(reading('S', 'String', 'on'))), false);
  assert.equal(f.accept(event(reading('S', 'String', 'off'))), true);
});

test('onChangeThreshold: numeric values pass only beyond the threshold, measured from the last value sent', () => {
  const f = new ChangeFilter(0.5);
  assert.equal(f.accept(event(reading('T', 'Float32', '1.000000e+01'))), true);
  assert.equal(f.accept(event(reading('T', 'Float32', '1.040000e+01'))), false, '0.4 is within the threshold');
  assert.equal(f.accept(event(reading('T', 'Float32', '1.050000e+01'))), false, 'exactly the threshold is not more than it');
  assert.equal(f.accept(event(reading('T', 'Float32', '1.060000e+01'))), true, 'a drift that adds up passes');
  assert.equal(f.accept(event(reading('T', 'Float32', '1.010000e+01'))), false);
  assert.equal(f.accept(event(reading('T', 'Float32', '1.000000e+01'))), true, 'downwards too');
  const ints = new ChangeFilter(2);
  assert.equal(ints.accept(event(reading('N', 'Int64', '100'))), true);
  assert.equal(ints.accept(event(reading('N', 'Int64', '102'))), false);
  assert.equal(ints.accept(event(reading('N', 'Int64', '97'))), true);
});

test('onChange compares every reading of a multi-resource event; NaN/overflow, binary and objects by content', () => {
  const f = new ChangeFilter(1);
  assert.equal(f.accept(event(reading('A', 'Int16', '1'), reading('B', 'Int16', '5'))), true);
  assert.equal(f.accept(event(reading('A', 'Int16', '2'), reading('B', 'Int16', '5'))), false);
  assert.equal(f.accept(event(reading('A', 'Int16', '1'), reading('B', 'Int16', '7'))), true, 'B moved by 2');
  assert.equal(f.accept(event(reading('A', 'Int16', 'overflow'), reading('B', 'Int16', '7'))), true);
  assert.equal(f.accept(event(reading('A', 'Int16', 'overflow'), reading('B', 'Int16', '7'))), false);
  const bin = new ChangeFilter();
  const b = (data: string) => reading('Img', 'Binary', '', { value: undefined, binaryValue: Buffer.from(data).toString('base64'), mediaType: 'image/png' });
  assert.equal(bin.accept(event(b('abc'))), true);
  assert.equal(bin.accept(event(b('abc'))), false);
  assert.equal(bin.accept(event(b('abd'))), true);
  const obj = new ChangeFilter();
  const o = (v: object) => reading('O', 'Object', '', { value: undefined, objectValue: v });
  assert.equal(obj.accept(event(o({ a: 1 }))), true);
  assert.equal(obj.accept(event(o({ a: 1 }))), false);
  assert.equal(obj.accept(event(o({ a: 2 }))), true);
});

test('an onChange auto-event delivers only changed readings; a plain one delivers every read', async () => {
  let value = 1;
  let reads = 0;
  const delivered: Event[] = [];
  const m = new AutoEventManager({
    log: pino({ level: 'silent' }),
    read: async (_d, source) => {
      reads++;
      return event(reading(source, 'Int32', String(value)));
    },
    deliver: (e) => void delivered.push(e),
  });
  await m.startDevice({
    name: 'D',
    profileName: 'P',
    serviceName: 's',
    adminState: 'UNLOCKED',
    operatingState: 'UP',
    protocols: { other: {} },
    autoEvents: [{ interval: '10ms', sourceName: 'X', onChange: true, onChangeThreshold: 0 }],
  });
  await waitFor('several reads of the same value', () => reads >= 4);
  value = 2;
  await waitFor('the changed value delivered', () => delivered.length === 2);
  const n = reads;
  await waitFor('more reads of the new value', () => reads >= n + 3);
  await m.stopAll();
  assert.deepEqual(
    delivered.map((e) => e.readings[0].value),
    ['1', '2'],
  );
  assert.ok(m.unchanged >= 5, `unchanged reads counted (${m.unchanged})`);
});
