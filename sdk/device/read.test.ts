import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeviceProfileSchema, EventSchema, parseDto, type Device, type Event } from '@edgex-ts/contracts';
import type { CommandRequest, CommandValue, ProtocolDriver } from './driver.js';
import { nextOrigin } from './origin.js';
import { buildEvent, readSource, resolveReadSource } from './read.js';
import { commandQueryFlags } from './command-topics.js';

const profile = parseDto(
  DeviceProfileSchema,
  {
    name: 'P',
    deviceResources: [
      { name: 'I64', properties: { valueType: 'Int64', readWrite: 'RW' }, tags: { kind: 'int' } },
      { name: 'U64', properties: { valueType: 'Uint64', readWrite: 'R' } },
      { name: 'F32', properties: { valueType: 'Float32', readWrite: 'R', units: 'C' } },
      { name: 'Bin', properties: { valueType: 'Binary', readWrite: 'R', mediaType: 'image/png' } },
      { name: 'Secret', properties: { valueType: 'Bool', readWrite: 'W' } },
    ],
    deviceCommands: [{ name: 'Both', readWrite: 'R', resourceOperations: [{ deviceResource: 'U64' }, { deviceResource: 'F32' }] }],
  },
  'profile',
);
const device: Device = {
  name: 'D',
  profileName: 'P',
  serviceName: 's',
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  protocols: { other: { Address: 'a' } },
  tags: { site: 'lab' },
};

function assertValidEvent(event: Event): void {
  parseDto(EventSchema, event, 'event');
  const isNs = (o: unknown) => typeof o === 'bigint' && Math.abs(Number(o / 1_000_000n) - Date.now()) < 60_000;
  assert.ok(isNs(event.origin), `event.origin ${event.origin}`);
}

test('resolves commands before resources and refuses unknown or write-only sources', () => {
  assert.deepEqual(
    resolveReadSource(profile, 'Both').requests.map((r) => r.deviceResourceName),
    ['U64', 'F32'],
  );
  assert.deepEqual(resolveReadSource(profile, 'F32').requests, [{ deviceResourceName: 'F32', attributes: {}, valueType: 'Float32' }]);
  assert.throws(() => resolveReadSource(profile, 'Nope'), /no deviceCommand or deviceResource named Nope/);
  assert.throws(() => resolveReadSource(profile, 'Secret'), /not readable/);
});

test("ds-regexcmd (a GET's default, as in EdgeX's device SDK): a name that is no command or resource reads the readable resources it matches whole", () => {
  const regex = { regex: true };
  const names = (pattern: string) => resolveReadSource(profile, pattern, regex).requests.map((r) => r.deviceResourceName);
  assert.deepEqual(names('.64'), ['I64', 'U64']);
  assert.deepEqual(names('F3|Bin'), ['Bin'], 'the whole name must match: F3 is only a prefix of F32');
  assert.equal(resolveReadSource(profile, '.64', regex).sourceName, '.64', 'the event is named after the pattern');
  // Exact names keep their meaning: a command before a resource, and a write-only resource is not read.
  assert.deepEqual(names('Both'), ['U64', 'F32']);
  assert.throws(() => resolveReadSource(profile, 'Secret', regex), /not readable/);
  const kindOf = (pattern: string) => {
    try {
      resolveReadSource(profile, pattern, regex);
      return 'resolved';
    } catch (err) {
      return (err as { kind?: string }).kind;
    }
  };
  assert.equal(kindOf('Nope.*'), 'NotFound');
  assert.equal(kindOf('Sec.*'), 'NotAllowed', 'only write-only resources match: 405, as EdgeX');
  assert.equal(kindOf('('), 'ContractInvalid');
  assert.equal(kindOf('.64'), 'resolved');
  assert.equal(kindOf('Nope'), 'NotFound');
  // Without the flag (ds-regexcmd=false) a pattern is a plain name.
  assert.throws(() => resolveReadSource(profile, '.64'), /no deviceCommand or deviceResource named \.64/);
  assert.deepEqual([commandQueryFlags({}).regexCmd, commandQueryFlags({ 'ds-regexcmd': 'false' }).regexCmd], [true, false]);
  assert.throws(() => commandQueryFlags({ 'ds-regexcmd': 'maybe' }), /ds-regexcmd: expected true or false/);
});

test('builds a valid EdgeX event: exact 64-bit strings, Go %e floats, base64 binary, units, tags', () => {
  const values: CommandValue[] = [
    { deviceResourceName: 'I64', valueType: 'Int64', value: -(2n ** 63n) },
    { deviceResourceName: 'U64', valueType: 'Uint64', value: 2n ** 64n - 1n },
    { deviceResourceName: 'F32', valueType: 'Float32', value: 21.5 },
    { deviceResourceName: 'Bin', valueType: 'Binary', value: new Uint8Array([1, 2, 3]) },
  ];
  const source = { sourceName: 'All', requests: [], resources: profile.deviceResources };
  const event = buildEvent(device, profile, source, values);
  assertValidEvent(event);
  const r = event.readings;
  assert.equal(r[0].value, '-9223372036854775808');
  assert.deepEqual(r[0].tags, { kind: 'int' });
  assert.equal(r[1].value, '18446744073709551615');
  assert.equal(r[2].value, '2.150000e+01');
  assert.equal(r[2].units, 'C');
  assert.equal(r[3].binaryValue, 'AQID');
  assert.equal(r[3].mediaType, 'image/png');
  assert.equal(r[3].value, undefined);
  assert.deepEqual(event.tags, { site: 'lab' });
  assert.equal(event.apiVersion, 'v3');
  assert.ok(r.every((x) => x.origin === event.origin));
  assert.equal(buildEvent(device, profile, source, values.slice(2, 3), { readingUnits: false }).readings[0].units, undefined);
  assert.throws(
    () => buildEvent(device, profile, source, [{ deviceResourceName: 'F32', valueType: 'Float32', value: 'hot' }]),
    /D\/F32: driver value is not a valid Float32/,
  );
});

test('origins are exact ns bigints, unique and strictly increasing by the nanosecond', () => {
  const seen = Array.from({ length: 10_000 }, () => nextOrigin());
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1]);
  assert.equal(typeof seen[0], 'bigint');
  assert.ok(Math.abs(Number(seen[0] / 1_000_000n) - Date.now()) < 1000);
  // Within one millisecond the origins step by 1 ns, not by the 256 ns of a double at this magnitude.
  const gaps = seen.slice(1).map((o, i) => o - seen[i]);
  assert.ok(gaps.includes(1n), 'origins in the same millisecond are 1 ns apart');
});

test('an origin the driver stamps beyond 2^53 reaches the event exactly', () => {
  const source = { sourceName: 'I64', requests: [], resources: profile.deviceResources };
  const event = buildEvent(device, profile, source, [{ deviceResourceName: 'I64', valueType: 'Int64', value: 1n, origin: 1796657960933599538n }]);
  assert.equal(event.readings[0].origin, 1796657960933599538n);
});

test('readSource calls the driver with the resolved requests', async () => {
  let got: { name: string; reqs: CommandRequest[] } | undefined;
  const driver: Pick<ProtocolDriver, 'handleReadCommands'> = {
    async handleReadCommands(name, _protocols, reqs) {
      got = { name, reqs };
      return reqs.map((q) => ({ deviceResourceName: q.deviceResourceName, valueType: q.valueType, value: q.valueType === 'Uint64' ? 7n : 1.5 }));
    },
  };
  const event = await readSource(driver as ProtocolDriver, device, profile, 'Both');
  assert.equal(got?.name, 'D');
  assert.deepEqual(
    event.readings.map((x) => x.value),
    ['7', '1.500000e+00'],
  );
  assert.equal(event.sourceName, 'Both');
});
