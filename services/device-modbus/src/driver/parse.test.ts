/** Attribute and protocol-property parsing, read planning and codec edge cases (no server needed). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommandRequest } from '@edgex-ts/device-sdk';
import { parseResource } from './attributes.js';
import { decodeRegisters, encodeRegisters } from './codec.js';
import { planReads } from './plan.js';
import { connectionKey, parseEndpoint } from './protocol.js';

const req = (valueType: string, attributes: Record<string, unknown>, deviceResourceName = 'R'): CommandRequest => ({
  deviceResourceName,
  valueType,
  attributes,
});

describe('parseResource', () => {
  test('register count from the raw type, else the value type; strings from stringRegisterSize', () => {
    const count = (vt: string, a: Record<string, unknown>) => parseResource(req(vt, { primaryTable: 'HOLDING_REGISTERS', startingAddress: 0, ...a })).count;
    assert.equal(count('Int16', {}), 1);
    assert.equal(count('Uint8', {}), 1);
    assert.equal(count('Float32', {}), 2);
    assert.equal(count('Int64', {}), 4);
    assert.equal(count('Float64', {}), 4);
    assert.equal(count('Float32', { rawType: 'INT16' }), 1);
    assert.equal(count('Float64', { rawType: 'Uint32' }), 2);
    assert.equal(count('String', { stringRegisterSize: '10' }), 10);
    assert.equal(parseResource(req('Bool', { primaryTable: 'Coils', startingAddress: '7' })).count, 1);
  });

  test('primaryTable is case-insensitive and DISCRETES_INPUT is DISCRETE_INPUTS', () => {
    assert.equal(parseResource(req('Bool', { primaryTable: 'discretes_input', startingAddress: 1 })).table, 'DISCRETE_INPUTS');
    assert.equal(parseResource(req('Bool', { primaryTable: 'Discrete_Inputs', startingAddress: 1 })).table, 'DISCRETE_INPUTS');
    assert.equal(parseResource(req('Int16', { primaryTable: 'input_registers', startingAddress: 1 })).table, 'INPUT_REGISTERS');
  });

  test('the dotted form selects a bit of a register', () => {
    const s = parseResource(req('Bool', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '10.15' }));
    assert.deepEqual([s.address, s.bit, s.count], [10, 15, 1]);
  });

  test('bad attributes name the resource and the attribute', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['Int16', { startingAddress: 1 }, /R: attribute primaryTable = undefined/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS' }, /R: attribute startingAddress is required/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 'x' }, /startingAddress = "x"/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 70000 }, /startingAddress = "70000"|0\.\.65535/],
      ['Bool', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '1.16' }, /startingAddress bit/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '1.2' }, /valueType must be Bool/],
      ['Int16', { primaryTable: 'COILS', startingAddress: 1 }, /cannot be read from COILS/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1, rawType: 'INT8' }, /rawType = "INT8"/],
      ['Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1, isByteSwap: 'yes' }, /isByteSwap = "yes"/],
      ['String', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 }, /stringRegisterSize/],
      ['String', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1, stringRegisterSize: 124 }, /stringRegisterSize = 124/],
      ['Int32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 65535 }, /runs past 65535/],
      ['Binary', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 }, /Binary is not supported/],
    ];
    for (const [vt, a, re] of bad) assert.throws(() => parseResource(req(vt, a)), re, JSON.stringify(a));
  });
});

describe('parseEndpoint', () => {
  test('modbus-tcp with numbers as strings or numbers; EdgeX defaults', () => {
    assert.deepEqual(parseEndpoint('D', { 'modbus-tcp': { Address: 'plc.local', Port: 1502, UnitID: '7', Timeout: '1.5', IdleTimeout: 0 } }), {
      kind: 'tcp',
      host: 'plc.local',
      port: 1502,
      unitId: 7,
      timeoutMs: 1500,
      idleTimeoutMs: 0,
    });
    assert.deepEqual(parseEndpoint('D', { 'modbus-tcp': { Address: '10.0.0.1' } }), {
      kind: 'tcp',
      host: '10.0.0.1',
      port: 502,
      unitId: 1,
      timeoutMs: 5000,
      idleTimeoutMs: 5000,
    });
  });

  test('modbus-rtu', () => {
    const e = parseEndpoint('D', {
      'modbus-rtu': { Address: '/dev/ttyUSB0', BaudRate: '9600', DataBits: '7', StopBits: 2, Parity: 'e', UnitID: 3, Timeout: 2 },
    });
    assert.deepEqual(e, {
      kind: 'rtu',
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      dataBits: 7,
      stopBits: 2,
      parity: 'even',
      unitId: 3,
      timeoutMs: 2000,
      idleTimeoutMs: 5000,
    });
    assert.equal(connectionKey(e), 'rtu:///dev/ttyUSB0');
  });

  test('bad properties name the device, the protocol and the key', () => {
    assert.throws(() => parseEndpoint('D', { other: {} }), /device D: no modbus-tcp or modbus-rtu/);
    assert.throws(() => parseEndpoint('D', { 'modbus-tcp': { Port: 502 } }), /protocols.modbus-tcp.Address/);
    assert.throws(() => parseEndpoint('D', { 'modbus-tcp': { Address: 'h', UnitID: 256 } }), /protocols.modbus-tcp.UnitID = 256/);
    assert.throws(() => parseEndpoint('D', { 'modbus-tcp': { Address: 'h', Timeout: '0' } }), /protocols.modbus-tcp.Timeout = "0"/);
    assert.throws(() => parseEndpoint('D', { 'modbus-rtu': { Address: '/dev/x', Parity: 'X' } }), /protocols.modbus-rtu.Parity = "X"/);
  });
});

describe('planReads', () => {
  const spec = (table: string, startingAddress: number, valueType = 'Uint16', name = `${table}${startingAddress}`) =>
    parseResource(req(valueType, { primaryTable: table, startingAddress }, name));

  test('adjacent and overlapping resources of one table share a read; gaps and tables split', () => {
    const blocks = planReads([
      spec('HOLDING_REGISTERS', 10, 'Uint32'),
      spec('HOLDING_REGISTERS', 12),
      spec('HOLDING_REGISTERS', 11),
      spec('HOLDING_REGISTERS', 14),
      spec('INPUT_REGISTERS', 12),
      spec('COILS', 3, 'Bool'),
      spec('COILS', 4, 'Bool'),
    ]);
    assert.deepEqual(
      blocks.map((b) => [b.table, b.address, b.count, b.members.map((m) => m.index)]),
      [
        ['COILS', 3, 2, [5, 6]],
        ['HOLDING_REGISTERS', 10, 3, [0, 2, 1]],
        ['HOLDING_REGISTERS', 14, 1, [3]],
        ['INPUT_REGISTERS', 12, 1, [4]],
      ],
    );
  });

  test('a read never asks for more than 125 registers', () => {
    const specs = Array.from({ length: 130 }, (_, i) => spec('HOLDING_REGISTERS', i));
    assert.deepEqual(
      planReads(specs).map((b) => [b.address, b.count]),
      [
        [0, 125],
        [125, 5],
      ],
    );
  });
});

describe('codec', () => {
  const spec = (valueType: string, a: Record<string, unknown> = {}) =>
    parseResource(req(valueType, { primaryTable: 'HOLDING_REGISTERS', startingAddress: 0, ...a }));
  const regs = (...words: number[]) => Buffer.from(words.flatMap((w) => [w >> 8, w & 0xff]));

  test('64-bit integers are bigints; the raw type converts to the value type', () => {
    assert.equal(decodeRegisters(spec('Int64'), regs(0xffff, 0xffff, 0xffff, 0xfffe)), -2n);
    assert.equal(decodeRegisters(spec('Uint64', { isWordSwap: true }), regs(1, 0, 0, 0)), 1n);
    assert.equal(decodeRegisters(spec('Int32', { rawType: 'UINT16' }), regs(0xffff)), 65535);
    assert.equal(decodeRegisters(spec('Float64', { rawType: 'INT32' }), regs(0xffff, 0xff9c)), -100);
    assert.deepEqual(encodeRegisters(spec('Int64'), -2n), [0xffff, 0xffff, 0xffff, 0xfffe]);
    assert.deepEqual(encodeRegisters(spec('Float32', { rawType: 'UINT16' }), 12.9), [12]);
  });

  test('a value that does not fit is an error, never a wrapped number', () => {
    assert.throws(() => decodeRegisters(spec('Int8'), regs(200)), /200 does not fit Int8/);
    assert.throws(() => decodeRegisters(spec('Uint16', { rawType: 'INT16' }), regs(0xffff)), /-1 does not fit Uint16/);
    assert.throws(() => encodeRegisters(spec('Int16'), 40000), /40000 does not fit INT16/);
    assert.throws(() => encodeRegisters(spec('Uint16'), 'abc'), /"abc" is not a Uint16/);
    assert.throws(() => encodeRegisters(spec('String', { stringRegisterSize: 1 }), 'abc'), /exceeds stringRegisterSize 1/);
  });
});

test('Driver section: MaxQueuedRequests and reconnect backoff, bad values named', async () => {
  const { connectionLimitsOf } = await import('./driver-config.js');
  assert.deepEqual(connectionLimitsOf({}), {});
  assert.deepEqual(connectionLimitsOf({ MaxQueuedRequests: '64', ReconnectBackoff: '250ms', ReconnectBackoffMax: '30s' }), {
    maxQueued: 64,
    backoffInitialMs: 250,
    backoffMaxMs: 30_000,
  });
  assert.throws(() => connectionLimitsOf({ MaxQueuedRequests: '0' }), /Driver\.MaxQueuedRequests = '0': expected an integer >= 1/);
  assert.throws(() => connectionLimitsOf({ ReconnectBackoffMax: 'soon' }), /Driver\.ReconnectBackoffMax = 'soon': expected a duration/);
});
