/** Values and topics as EdgeX MQTT devices send and expect them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { commandTopicOf, parseIncomingTopic, requestTopic, responseRequestId } from './topics.js';
import { jsonFromDevice, setPayload, valueFromDevice } from './values.js';

test('device values: JSON numbers, numeric strings (as the EdgeX mock device sends), booleans, arrays, objects', () => {
  assert.equal(valueFromDevice('t', 'Float32', '27.3'), Math.fround(27.3));
  assert.equal(valueFromDevice('t', 'Float64', 12.5), 12.5);
  assert.equal(valueFromDevice('t', 'Int16', -7), -7);
  assert.equal(valueFromDevice('t', 'Int64', '9007199254740993'), 9007199254740993n);
  assert.equal(valueFromDevice('t', 'Bool', true), true);
  assert.equal(valueFromDevice('t', 'Bool', 'false'), false);
  assert.equal(valueFromDevice('t', 'String', 42), '42');
  assert.deepEqual(valueFromDevice('t', 'Int8Array', [1, -2]), [1, -2]);
  assert.deepEqual(valueFromDevice('t', 'Object', { a: [1] }), { a: [1] });
  assert.deepEqual(valueFromDevice('t', 'Binary', 'AQI='), new Uint8Array([1, 2]));
});

test('device payloads: 64-bit integers beyond 2^53 stay exact, in objects and arrays; text that is not JSON is no JSON', () => {
  const reading = jsonFromDevice(Buffer.from('{"counter": 1796657960933599538, "history": [9007199254740993, -9223372036854775808]}'));
  const body = reading!.value as Record<string, unknown>;
  assert.equal(valueFromDevice('counter', 'Int64', body.counter), 1796657960933599538n);
  assert.deepEqual(valueFromDevice('history', 'Int64Array', body.history), [9007199254740993n, -9223372036854775808n]);
  assert.equal(valueFromDevice('counter', 'Uint64', jsonFromDevice(Buffer.from('18446744073709551615'))!.value), 18446744073709551615n);
  assert.equal(jsonFromDevice(Buffer.from('hello from the device')), undefined);
});

test('device values that do not fit are ContractInvalid naming the resource', () => {
  const bad: [string, unknown][] = [
    ['Int8', 300],
    ['Float32', 'abc'],
    ['Int32', 1.5],
    ['Bool', 'maybe'],
    ['Float64', { v: 1 }],
    ['Uint8', null],
  ];
  for (const [type, raw] of bad) {
    assert.throws(
      () => valueFromDevice('temp', type, raw),
      (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && /^temp: /.test(err.message),
      `${type} ${JSON.stringify(raw)}`,
    );
  }
});

test('SET payloads: {"<resource>": value} with exact 64-bit integers and short float32s', () => {
  assert.equal(setPayload('message', 'String', 'hi "there"'), '{"message":"hi \\"there\\""}');
  assert.equal(setPayload('randfloat32', 'Float32', Math.fround(12.3)), '{"randfloat32":12.3}');
  assert.equal(setPayload('big', 'Uint64', 18446744073709551615n), '{"big":18446744073709551615}');
  assert.equal(setPayload('on', 'Bool', true), '{"on":true}');
  assert.equal(setPayload('xs', 'Float32Array', [Math.fround(0.1), 2]), '{"xs":[0.1,2]}');
  assert.equal(setPayload('obj', 'Object', { a: 1 }), '{"obj":{"a":1}}');
  assert.throws(() => setPayload('f', 'Float64', NaN), /f: NaN cannot be sent as JSON/);
});

test('topics: command requests, response ids, incoming device/source', () => {
  assert.equal(commandTopicOf('d', { mqtt: { CommandTopic: 'command/d/' } }), 'command/d');
  assert.throws(() => commandTopicOf('d', { other: {} }), /device d: protocols\.mqtt\.CommandTopic: missing/);
  assert.throws(() => commandTopicOf('d', { mqtt: { CommandTopic: 7 } }), /protocols\.mqtt\.CommandTopic: missing or not a string/);
  assert.throws(() => commandTopicOf('d', { mqtt: { CommandTopic: 'command/#' } }), /must not contain the wildcards/);
  assert.equal(requestTopic('command/d', 'ping', 'get', 'id-1'), 'command/d/ping/get/id-1');
  assert.equal(responseRequestId('command/response/id-1'), 'id-1');
  assert.deepEqual(parseIncomingTopic('incoming/data/#', 'incoming/data/dev/src'), { deviceName: 'dev', sourceName: 'src' });
  assert.deepEqual(parseIncomingTopic('site/+/data/#', 'site/7/data/dev/src'), { deviceName: 'dev', sourceName: 'src' });
  assert.deepEqual(parseIncomingTopic('#', 'dev/src'), { deviceName: 'dev', sourceName: 'src' });
  assert.ok('error' in parseIncomingTopic('incoming/data/#', 'incoming/data/dev'));
  assert.ok('error' in parseIncomingTopic('incoming/data/#', 'incoming/data/dev/src/more'));
});
