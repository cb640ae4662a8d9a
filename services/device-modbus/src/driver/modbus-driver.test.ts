/**
 * The Modbus driver against an independent Modbus TCP server (Debian's pymodbus) with known contents.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { EdgeXError, type Device } from '@edgex-ts/contracts';
import type { CommandRequest, Protocols } from '@edgex-ts/device-sdk';
import { startPymodbus, type PymodbusServer } from '../../../../test/helpers/pymodbus.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { ModbusDriver } from './modbus-driver.js';

type Swap = { isByteSwap: boolean; isWordSwap: boolean };
const SWAPS: Swap[] = [
  { isByteSwap: false, isWordSwap: false },
  { isByteSwap: true, isWordSwap: false },
  { isByteSwap: false, isWordSwap: true },
  { isByteSwap: true, isWordSwap: true },
];

/** Big-endian bytes of a value, then the documented swaps written out by hand (not via the codec). */
function registersOf(bytesBE: Buffer, swap: Swap): number[] {
  let words: number[][] = [];
  for (let i = 0; i < bytesBE.length; i += 2) words.push([bytesBE[i], bytesBE[i + 1]]);
  if (bytesBE.length >= 4) {
    if (swap.isByteSwap) words = words.map(([a, b]) => [b, a]);
    if (swap.isWordSwap) words = words.reverse();
  }
  return words.map(([hi, lo]) => (hi << 8) | lo);
}

function be(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  write(b);
  return b;
}

interface Case {
  name: string;
  rawType: string;
  valueType: string;
  swap: Swap;
  address: number;
  registers: number[];
  expected: unknown;
}

const RAW: { rawType: string; valueType: string; bytes: Buffer; expected: unknown }[] = [
  { rawType: 'INT16', valueType: 'Int16', bytes: be(2, (b) => b.writeInt16BE(-12345)), expected: -12345 },
  { rawType: 'UINT16', valueType: 'Uint16', bytes: be(2, (b) => b.writeUInt16BE(54321)), expected: 54321 },
  { rawType: 'INT32', valueType: 'Int32', bytes: be(4, (b) => b.writeInt32BE(-123456789)), expected: -123456789 },
  { rawType: 'UINT32', valueType: 'Uint32', bytes: be(4, (b) => b.writeUInt32BE(3_000_000_000)), expected: 3_000_000_000 },
  { rawType: 'FLOAT32', valueType: 'Float32', bytes: be(4, (b) => b.writeFloatBE(3.1415927)), expected: Math.fround(3.1415927) },
  { rawType: 'FLOAT64', valueType: 'Float64', bytes: be(8, (b) => b.writeDoubleBE(-2.718281828459045)), expected: -2.718281828459045 },
];

const CASES: Case[] = [];
{
  let address = 0;
  for (const r of RAW) {
    for (const swap of r.bytes.length === 2 ? [SWAPS[0]] : SWAPS) {
      const registers = registersOf(r.bytes, swap);
      CASES.push({
        name: `${r.rawType}${swap.isByteSwap ? '-byteswap' : ''}${swap.isWordSwap ? '-wordswap' : ''}`,
        rawType: r.rawType,
        valueType: r.valueType,
        swap,
        address,
        registers,
        expected: r.expected,
      });
      address += registers.length + 1; // a gap: every case is its own Modbus request
    }
  }
}

const hr: Record<number, number> = {};
for (const c of CASES) c.registers.forEach((v, i) => (hr[c.address + i] = v));
hr[100] = 0b1000; // bit 3 set
hr[110] = 0x4564; // "Ed"
hr[111] = 0x6765; // "ge"
hr[112] = 0x5821; // "X!"
hr[113] = 0;
hr[120] = 0xffb5; // INT16 -75, read as Float32
hr[130] = 0x1111;
hr[131] = 0x2222;
hr[132] = 0x3333;
hr[133] = 0x4444;
hr[134] = 0x5555;
hr[230] = 0x0001;

const CONTENTS = { hr, ir: { 10: 777 }, co: { 5: true }, di: { 7: true } };

function req(deviceResourceName: string, valueType: string, attributes: Record<string, unknown>): CommandRequest {
  return { deviceResourceName, valueType, attributes };
}

function protocolsFor(port: number, extra: Record<string, unknown> = {}): Protocols {
  return { 'modbus-tcp': { Address: '127.0.0.1', Port: String(port), UnitID: '1', Timeout: '2', IdleTimeout: '5', ...extra } };
}

describe('ModbusDriver against pymodbus', () => {
  let server: PymodbusServer;
  let driver: ModbusDriver;
  let protocols: Protocols;

  before(async () => {
    server = await startPymodbus(CONTENTS);
    driver = new ModbusDriver();
    protocols = protocolsFor(server.port);
  });
  after(async () => {
    await driver?.stop();
    await server?.stop();
  });

  for (const c of CASES) {
    test(`reads ${c.name} as ${c.valueType}`, async () => {
      const [v] = await driver.handleReadCommands('Modbus-Dev', protocols, [
        req(c.name, c.valueType, { primaryTable: 'HOLDING_REGISTERS', startingAddress: c.address, rawType: c.rawType, ...c.swap }),
      ]);
      assert.equal(v.deviceResourceName, c.name);
      assert.equal(v.valueType, c.valueType);
      assert.equal(v.value, c.expected);
    });
  }

  test('reads every raw type and swap in one command, in request order', async () => {
    const values = await driver.handleReadCommands(
      'Modbus-Dev',
      protocols,
      [...CASES].reverse().map((c) =>
        req(c.name, c.valueType, {
          primaryTable: 'holding_registers',
          startingAddress: String(c.address),
          rawType: c.rawType.toLowerCase(),
          isByteSwap: String(c.swap.isByteSwap),
          isWordSwap: c.swap.isWordSwap,
        }),
      ),
    );
    assert.deepEqual(
      values.map((v) => [v.deviceResourceName, v.value]),
      [...CASES].reverse().map((c) => [c.name, c.expected]),
    );
  });

  test('a raw INT16 read as Float32 (EdgeX scale use)', async () => {
    const [v] = await driver.handleReadCommands('Modbus-Dev', protocols, [
      req('Temp', 'Float32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 120, rawType: 'INT16' }),
    ]);
    assert.equal(v.value, -75);
  });

  test('reads a coil, a discrete input, an input register, a bit inside a register and a string', async () => {
    const values = await driver.handleReadCommands('Modbus-Dev', protocols, [
      req('Coil5', 'Bool', { primaryTable: 'COILS', startingAddress: 5 }),
      req('Coil4', 'Bool', { primaryTable: 'coils', startingAddress: 4 }),
      req('Disc7', 'Bool', { primaryTable: 'DISCRETES_INPUT', startingAddress: 7 }),
      req('Disc6', 'Bool', { primaryTable: 'DISCRETE_INPUTS', startingAddress: 6 }),
      req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 }),
      req('Bit3', 'Bool', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '100.3' }),
      req('Bit2', 'Bool', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '100.2' }),
      req('Text', 'String', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 110, stringRegisterSize: 4 }),
    ]);
    assert.deepEqual(
      values.map((v) => v.value),
      [true, false, true, false, 777, true, false, 'EdgeX!'],
    );
  });

  test('adjacent registers of one read are fetched with one Modbus request', async () => {
    await server.clearRequests();
    const before = driver.requestCount;
    const values = await driver.handleReadCommands('Modbus-Dev', protocols, [
      req('R132', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 132 }),
      req('R130', 'Uint32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 130 }),
      req('R134', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 134 }),
      req('R133', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 133 }),
    ]);
    assert.deepEqual(
      values.map((v) => v.value),
      [0x3333, 0x11112222, 0x5555, 0x4444],
    );
    assert.equal(driver.requestCount - before, 1);
    assert.deepEqual(await server.requests(), [{ fc: 3, address: 130, count: 5 }]);

    // A gap, or another table, is another request.
    await server.clearRequests();
    await driver.handleReadCommands('Modbus-Dev', protocols, [
      req('R130', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 130 }),
      req('R133', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 133 }),
      req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 }),
    ]);
    assert.deepEqual(
      (await server.requests()).sort((a, b) => a.fc - b.fc || a.address - b.address),
      [
        { fc: 3, address: 130, count: 1 },
        { fc: 3, address: 133, count: 1 },
        { fc: 4, address: 10, count: 1 },
      ],
    );
  });

  test('writes holding registers and a coil; the server holds the values', async () => {
    const writes = [
      req('W200', 'Int32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 200, isWordSwap: true }),
      req('W210', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 210 }),
      req('W220', 'Float32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 220, rawType: 'INT16' }),
      req('W230', 'Bool', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '230.4' }),
      req('W240', 'String', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 240, stringRegisterSize: 3 }),
      req('C20', 'Bool', { primaryTable: 'COILS', startingAddress: 20 }),
    ];
    const values = [-2, 4321, -42, true, 'abc', true];
    await driver.handleWriteCommands(
      'Modbus-Dev',
      protocols,
      writes,
      writes.map((r, i) => ({ deviceResourceName: r.deviceResourceName, valueType: r.valueType, value: values[i] })),
    );
    assert.deepEqual(await server.read('hr', 200, 2), [0xfffe, 0xffff]);
    assert.deepEqual(await server.read('hr', 210, 1), [4321]);
    assert.deepEqual(await server.read('hr', 220, 1), [0xffd6]);
    assert.deepEqual(await server.read('hr', 230, 1), [0x0011]);
    assert.deepEqual(await server.read('hr', 240, 3), [0x6162, 0x6300, 0]);
    assert.deepEqual(await server.read('co', 20, 1), [1]);

    const back = await driver.handleReadCommands('Modbus-Dev', protocols, writes);
    assert.deepEqual(
      back.map((v) => v.value),
      [-2, 4321, -42, true, 'abc', true],
    );
  });

  test('a Modbus exception is a clear error naming device, table and address', async () => {
    await assert.rejects(
      driver.handleReadCommands('Modbus-Dev', protocols, [req('Far', 'Uint16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 5000 })]),
      (err: unknown) => {
        assert.ok(err instanceof EdgeXError, String(err));
        assert.match(err.message, /device Modbus-Dev: read HOLDING_REGISTERS 5000 .*Far.*exception 2 \(illegal data address\)/);
        return true;
      },
    );
    // The connection stays usable.
    const [v] = await driver.handleReadCommands('Modbus-Dev', protocols, [req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 })]);
    assert.equal(v.value, 777);
  });

  test('bad attributes and protocol properties are ContractInvalid errors', async () => {
    await assert.rejects(
      driver.handleReadCommands('Modbus-Dev', protocols, [req('X', 'Int16', { primaryTable: 'HOLDING', startingAddress: 1 })]),
      /deviceResource X: attribute primaryTable = "HOLDING"/,
    );
    await assert.rejects(
      driver.handleReadCommands('Modbus-Dev', protocolsFor(server.port, { Port: 'abc' }), [
        req('X', 'Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 }),
      ]),
      /device Modbus-Dev: protocols.modbus-tcp.Port = "abc"/,
    );
    await assert.rejects(
      driver.handleWriteCommands(
        'Modbus-Dev',
        protocols,
        [req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 })],
        [{ deviceResourceName: 'In10', valueType: 'Uint16', value: 1 }],
      ),
      /In10 is in INPUT_REGISTERS, which Modbus cannot write/,
    );
  });

  test('devices on one endpoint share one connection; concurrent reads are serialized on it', async () => {
    const shared = new ModbusDriver();
    const accepted = (await server.connections()).accepted;
    await server.clearRequests();
    try {
      const reads = [];
      for (let i = 0; i < 20; i++) {
        const device = `Dev-${i % 4}`;
        reads.push(
          shared.handleReadCommands(device, protocolsFor(server.port, { UnitID: String(1 + (i % 4)) }), [
            req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 }),
          ]),
        );
      }
      const values = await Promise.all(reads);
      assert.deepEqual(
        values.map((v) => v[0].value),
        new Array(20).fill(777),
      );
      assert.equal(shared.requestCount, 20);
      assert.equal((await server.requests()).length, 20);
      assert.equal((await server.connections()).accepted - accepted, 1);
    } finally {
      await shared.stop();
    }
  });

  test('removing the last device of an endpoint closes its connection; one still used stays open', async () => {
    const own = await startPymodbus({ ir: { 10: 777 } }); // its own server: exact connection counts
    const d = new ModbusDriver();
    const p = protocolsFor(own.port);
    const read = (device: string) => d.handleReadCommands(device, p, [req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 })]);
    try {
      d.addDevice('Meter-A', p, 'UNLOCKED');
      d.addDevice('Meter-B', p, 'UNLOCKED');
      assert.equal((await read('Meter-A'))[0].value, 777);
      assert.equal((await read('Meter-B'))[0].value, 777);
      await d.removeDevice('Meter-A');
      assert.deepEqual(await own.connections(), { accepted: 1, open: 1 }, 'Meter-B still uses the endpoint');
      await d.removeDevice('Meter-B');
      await waitFor('the connection to be closed', async () => (await own.connections()).open === 0);
    } finally {
      await d.stop();
      await own.stop();
    }
  });

  test('IdleTimeout closes an unused connection; the next read reconnects', async () => {
    const own = await startPymodbus({ ir: { 10: 777 } }); // its own server: exact connection counts
    const idle = new ModbusDriver();
    const p = protocolsFor(own.port, { IdleTimeout: '0.2' });
    const read = () => idle.handleReadCommands('Idle-Dev', p, [req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 })]);
    try {
      assert.equal((await read())[0].value, 777);
      assert.equal((await read())[0].value, 777);
      assert.deepEqual(await own.connections(), { accepted: 1, open: 1 });
      await waitFor('the idle connection to be closed', async () => (await own.connections()).open === 0, { timeoutMs: 3_000 });
      assert.equal((await read())[0].value, 777);
      assert.deepEqual(await own.connections(), { accepted: 2, open: 1 });
    } finally {
      await idle.stop();
      await own.stop();
    }
  });

  test('server gone: a clear error; server back: reads work again', async () => {
    const read = () => driver.handleReadCommands('Modbus-Dev', protocols, [req('In10', 'Uint16', { primaryTable: 'INPUT_REGISTERS', startingAddress: 10 })]);
    assert.equal((await read())[0].value, 777);
    await server.stop();
    await assert.rejects(read(), (err: unknown) => {
      assert.ok(err instanceof EdgeXError, String(err));
      assert.equal(err.kind, 'UnexpectedServerError');
      assert.match(err.message, new RegExp(`device Modbus-Dev: read INPUT_REGISTERS 10 .* at 127\\.0\\.0\\.1:${server.port} unit 1: `));
      return true;
    });
    await server.restart();
    // Reconnects are retried with backoff: the reads work again once the backoff after the failure is over.
    const back = await waitFor('reads to work again after the restart', async () => (await read())[0].value);
    assert.equal(back, 777);
  });
});

describe('ModbusDriver against peers that misbehave', () => {
  const sockets = new Set<Socket>();
  let silent: Server;
  let garbage: Server;
  let hangUp: Server;
  let reset: Server;
  let hangUpConnections = 0;
  const driver = new ModbusDriver();

  function listen(onData: (socket: Socket, data: Buffer) => void): Promise<Server> {
    return new Promise((resolve) => {
      const srv = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.on('data', (d) => onData(socket, d));
      });
      srv.listen(0, '127.0.0.1', () => resolve(srv));
    });
  }
  const portOf = (s: Server) => (s.address() as { port: number }).port;

  before(async () => {
    silent = await listen(() => undefined);
    garbage = await listen((socket) => socket.write(Buffer.from('this is not modbus\r\n')));
    hangUp = await listen((socket) => socket.destroy());
    hangUp.on('connection', () => hangUpConnections++);
    reset = await listen((socket) => socket.resetAndDestroy());
  });
  after(async () => {
    await driver.stop();
    for (const s of sockets) s.destroy();
    await Promise.all([silent, garbage, hangUp, reset].map((s) => new Promise((r) => s.close(r))));
  });

  test('the request queue of one endpoint is bounded: requests beyond it are refused at once as busy', async () => {
    const bounded = new ModbusDriver({ limits: { maxQueued: 3 } });
    try {
      const protocols = protocolsFor(portOf(silent), { Timeout: '0.5' });
      const settled: string[] = [];
      const reads = Array.from({ length: 5 }, (_, i) =>
        bounded.handleReadCommands(`Busy-Dev-${i}`, protocols, [req('H1', 'Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 })]).then(
          () => settled.push(`${i} ok`),
          (err: EdgeXError) => {
            settled.push(`${i} ${err.kind}`);
            return err;
          },
        ),
      );
      const errors = (await Promise.all(reads)) as unknown as EdgeXError[];
      // The two over the limit are refused before any queued request is answered (they time out).
      assert.deepEqual(settled.slice(0, 2).sort(), ['3 ServiceUnavailable', '4 ServiceUnavailable']);
      assert.match(
        errors[3].message,
        /device Busy-Dev-3: read HOLDING_REGISTERS 1 .* busy, 3 requests already queued on tcp:\/\/127\.0\.0\.1:\d+ \(limit Driver\.MaxQueuedRequests = 3\)/,
      );
      assert.deepEqual(
        errors.slice(0, 3).map((e) => e.kind),
        ['UnexpectedServerError', 'UnexpectedServerError', 'UnexpectedServerError'],
      );
      assert.equal(bounded.refusedBusyCount, 2);
    } finally {
      await bounded.stop();
    }
  });

  test('after a transport failure reconnects back off: requests fail at once with the last failure, no new connection', async () => {
    const patient = new ModbusDriver({ limits: { backoffInitialMs: 60_000 } });
    try {
      const protocols = protocolsFor(portOf(hangUp), { Timeout: '1' });
      const read = () => patient.handleReadCommands('HangUp-Dev', protocols, [req('H1', 'Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 })]);
      // Reported as the lost connection it is, at once, not as a timeout.
      await assert.rejects(
        read(),
        /device HangUp-Dev: read HOLDING_REGISTERS 1 \(1 register\) for H1 at 127\.0\.0\.1:\d+ unit 1: connection closed by the peer$/,
      );
      const connectionsAfterFailure = hangUpConnections;
      assert.ok(connectionsAfterFailure >= 1);
      await assert.rejects(read(), /device HangUp-Dev: .*not reconnecting for \d+ ms more after 1 consecutive failure \(last: /);
      assert.equal(hangUpConnections, connectionsAfterFailure, 'no connection attempt during the backoff');
    } finally {
      await patient.stop();
    }
  });

  test('a connection reset while a request waits: the request fails at once as a lost connection, not a timeout', async () => {
    await assert.rejects(
      driver.handleReadCommands('Reset-Dev', protocolsFor(portOf(reset), { Timeout: '60' }), [
        req('H1', 'Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 }),
      ]),
      /device Reset-Dev: read HOLDING_REGISTERS 1 \(1 register\) for H1 at 127\.0\.0\.1:\d+ unit 1: connection closed by the peer$/,
    );
  });

  test('no answer within Timeout: a timeout error naming device, table and address; never a crash', async () => {
    const started = Date.now();
    await assert.rejects(
      driver.handleReadCommands('Silent-Dev', protocolsFor(portOf(silent), { Timeout: '0.3' }), [
        req('H1', 'Int16', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1 }),
      ]),
      /device Silent-Dev: read HOLDING_REGISTERS 1 \(1 register\) for H1 at 127\.0\.0\.1:\d+ unit 1: .*[Tt]imed out/,
    );
    assert.ok(Date.now() - started < 2_000);
  });

  test('garbage answers: a clear error, never a crash', async () => {
    await assert.rejects(
      driver.handleReadCommands('Garbage-Dev', protocolsFor(portOf(garbage), { Timeout: '0.3' }), [
        req('C1', 'Bool', { primaryTable: 'COILS', startingAddress: 1 }),
      ]),
      /device Garbage-Dev: read COILS 1 \(1 bit\) for C1 at 127\.0\.0\.1:\d+ unit 1: /,
    );
  });
});

/** File descriptors of this process open on `path` (Linux). */
function openFdsOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

describe('ModbusDriver over Modbus RTU (pymodbus on a pseudo-terminal)', () => {
  let rtu: PymodbusServer;
  const driver = new ModbusDriver();

  before(async () => {
    rtu = await startPymodbus({ hr: { 3: 0x4049, 4: 0x0fdb }, co: { 1: true } }, { transport: 'rtu' });
  });
  after(async () => {
    await driver.stop();
    await rtu?.stop();
  });

  test('reads and writes with EdgeX modbus-rtu protocol properties', async () => {
    const protocols: Protocols = {
      'modbus-rtu': { Address: rtu.serialPath, BaudRate: '9600', DataBits: '8', StopBits: '1', Parity: 'N', UnitID: '1', Timeout: '2' },
    };
    const values = await driver.handleReadCommands('Rtu-Dev', protocols, [
      req('Pi', 'Float32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 3, rawType: 'FLOAT32' }),
      req('Coil1', 'Bool', { primaryTable: 'COILS', startingAddress: 1 }),
    ]);
    assert.deepEqual(
      values.map((v) => v.value),
      [Math.fround(Math.PI), true],
    );

    const w = req('W10', 'Uint32', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 10, isByteSwap: true });
    await driver.handleWriteCommands('Rtu-Dev', protocols, [w], [{ deviceResourceName: 'W10', valueType: 'Uint32', value: 0x01020304 }]);
    assert.deepEqual(await rtu.read('hr', 10, 2), [0x0201, 0x0403]);
    assert.equal((await driver.handleReadCommands('Rtu-Dev', protocols, [w]))[0].value, 0x01020304);
    assert.deepEqual(await rtu.requests(), [
      { fc: 1, address: 1, count: 1 },
      { fc: 3, address: 3, count: 2 },
      { fc: 16, address: 10, count: 2 },
      { fc: 3, address: 10, count: 2 },
    ]);
  });

  test('devices on one serial line share its settings: a new device asking for others is refused, naming both', () => {
    const d = new ModbusDriver();
    const on = (BaudRate: string, Parity = 'N') => ({ 'modbus-rtu': { Address: '/dev/ttyUSB7', BaudRate, DataBits: '8', StopBits: '1', Parity, UnitID: '1' } });
    const device = (name: string, protocols: Protocols) => ({ name, protocols }) as unknown as Device;
    d.addDevice('Line-A', on('9600'), 'UNLOCKED');
    d.validateDevice(device('Line-B', on('9600')));
    assert.throws(
      () => d.validateDevice(device('Line-C', on('19200', 'E'))),
      (err: unknown) => {
        assert.ok(err instanceof EdgeXError);
        assert.equal(err.kind, 'ContractInvalid');
        assert.equal(
          err.message,
          'device Line-C: serial line /dev/ttyUSB7 runs at 9600 baud 8N1 for device Line-A, not 19200 baud 8E1: every device on one line needs the same BaudRate, DataBits, Parity and StopBits',
        );
        return true;
      },
    );
    // Another line, or a device already known changing its own settings, is not refused.
    d.validateDevice(device('Line-D', { 'modbus-rtu': { ...on('19200')['modbus-rtu'], Address: '/dev/ttyUSB8' } }));
    d.validateDevice(device('Line-A', on('19200')));
  });

  test('new line settings take effect once every device of the line has them: the line is opened again', async () => {
    const line = await startPymodbus({ co: { 1: true } }, { transport: 'rtu' });
    const d = new ModbusDriver();
    const on = (BaudRate: string) => ({ 'modbus-rtu': { Address: line.serialPath, BaudRate, UnitID: '1', Timeout: '2' } });
    const read = (name: string, protocols: Protocols) =>
      d.handleReadCommands(name, protocols, [req('Coil1', 'Bool', { primaryTable: 'COILS', startingAddress: 1 })]);
    try {
      d.addDevice('Move-A', on('9600'), 'UNLOCKED');
      d.addDevice('Move-B', on('9600'), 'UNLOCKED');
      assert.equal((await read('Move-A', on('9600')))[0].value, true);
      assert.equal(openFdsOn(line.serialPath!), 1);
      await d.updateDevice('Move-A', on('19200'), 'UNLOCKED');
      assert.equal(openFdsOn(line.serialPath!), 1, 'Move-B still has the old settings: the line stays as it is');
      await d.updateDevice('Move-B', on('19200'), 'UNLOCKED');
      assert.equal(openFdsOn(line.serialPath!), 0, 'both moved: the line is closed, to be opened with the new settings');
      assert.equal((await read('Move-B', on('19200')))[0].value, true);
      assert.equal(openFdsOn(line.serialPath!), 1);
    } finally {
      await d.stop();
      await line.stop();
    }
  });

  test('stopping the driver closes the serial line', async () => {
    const line = await startPymodbus({ co: { 1: true } }, { transport: 'rtu' });
    const own = new ModbusDriver();
    const protocols: Protocols = { 'modbus-rtu': { Address: line.serialPath, BaudRate: '9600', UnitID: '1', Timeout: '2' } };
    try {
      assert.equal(
        (await own.handleReadCommands('Rtu-Stop-Dev', protocols, [req('Coil1', 'Bool', { primaryTable: 'COILS', startingAddress: 1 })]))[0].value,
        true,
      );
      assert.equal(openFdsOn(line.serialPath!), 1);
      await own.stop();
      assert.equal(openFdsOn(line.serialPath!), 0);
    } finally {
      await own.stop();
      await line.stop();
    }
  });

  test('a line that answers and hangs up at once is closed and reported, not read again and again', async () => {
    // The far end of a pseudo-terminal: takes one request, writes part of an answer and closes at once, so
    // the driver reads data and then end of file with no wait between (the stock serial binding loops there).
    const peer = spawn(
      '/usr/bin/python3',
      ['-c', 'import os,sys,tty\nm,s=os.openpty()\ntty.setraw(s)\nprint(os.ttyname(s),flush=True)\nos.read(m,64)\nos.write(m,bytes([1,1]))\nos._exit(0)'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(peer.stdout, 'data')) as [Buffer];
    const path = line.toString().trim();
    const hungUp = new ModbusDriver();
    const protocols: Protocols = { 'modbus-rtu': { Address: path, BaudRate: '9600', UnitID: '1', Timeout: '5' } };
    try {
      await assert.rejects(
        hungUp.handleReadCommands('Rtu-HangUp-Dev', protocols, [req('Coil1', 'Bool', { primaryTable: 'COILS', startingAddress: 1 })]),
        new RegExp(`device Rtu-HangUp-Dev: read COILS 1 \\(1 bit\\) for Coil1 at ${path} unit 1: connection closed by the peer`),
      );
      assert.equal(openFdsOn(path), 0);
    } finally {
      await hungUp.stop();
      peer.kill();
    }
  });
});
