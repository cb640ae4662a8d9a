import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandRequestFilter, commandRequestTopic, commandResponseTopic, parseCommandRequestTopic } from './command-topics.js';

test('names that cannot travel in a topic level are escaped as EdgeX escapes them, and read back', () => {
  const topic = commandRequestTopic('edgex', 'ds/#+', 'a/b#c+', 'Set%Level', 'set');
  assert.equal(topic, 'edgex/device/command/request/ds%2F%23%2B/a%2Fb%23c%2B/Set%25Level/set');
  assert.ok(topic.startsWith(commandRequestFilter('edgex', 'ds/#+').slice(0, -1)));
  assert.deepEqual(parseCommandRequestTopic('edgex', 'ds/#+', topic), { deviceName: 'a/b#c+', commandName: 'Set%Level', method: 'set' });
  assert.equal(commandResponseTopic('edgex', 'ds/#+', 'r-1'), 'edgex/response/ds%2F%23%2B/r-1');
});

test('other names travel as an EdgeX core-command sends them (EnableNameFieldEscape false), escaped ones (true) are read too', () => {
  assert.equal(
    commandRequestTopic('edgex', 'device-virtual', 'Random-Integer-Device', '温度.1', 'get'),
    'edgex/device/command/request/device-virtual/Random-Integer-Device/温度.1/get',
  );
  const escapedByEdgeX = 'edgex/device/command/request/device-virtual/Random%2DInteger%2DDevice/Int8/get';
  assert.deepEqual(parseCommandRequestTopic('edgex', 'device-virtual', escapedByEdgeX), {
    deviceName: 'Random-Integer-Device',
    commandName: 'Int8',
    method: 'get',
  });
  assert.equal(parseCommandRequestTopic('edgex', 'device-virtual', 'edgex/device/command/request/device-virtual/bad%zz/Int8/get'), undefined);
});
