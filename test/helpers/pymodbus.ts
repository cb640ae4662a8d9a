/**
 * An independent Modbus server for tests: Debian's `python3-pymodbus` (3.0.x API), run by the system
 * python3 from a small script written to a temp dir, with known table contents: Modbus TCP on a free
 * loopback port, or Modbus RTU on a pseudo-terminal pair (no serial hardware needed).
 *
 * The server reports every request it validates (function code, address, count) on stdout, so tests can
 * observe what went over the wire (e.g. that adjacent registers were read with one request), and answers
 * `get` lines on stdin with the current contents of a table (to check writes on the server side).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

/** The four Modbus tables: coils, discrete inputs, holding registers, input registers. */
export type ModbusTable = 'co' | 'di' | 'hr' | 'ir';

/** Initial contents: address → value (registers 0..65535, bits 0/1 or booleans). */
export interface PymodbusContents {
  co?: Record<number, number | boolean>;
  di?: Record<number, number | boolean>;
  hr?: Record<number, number>;
  ir?: Record<number, number>;
  /** Entries per table, addresses 0..size-1 (default 1000); requests beyond are answered with exception 2. */
  size?: number;
  /** Serial line speed of the RTU server (default 9600). */
  baudRate?: number;
}

export interface PymodbusOptions {
  /**
   * `tcp` (default): Modbus TCP on a free loopback port. `rtu`: Modbus RTU on a pseudo-terminal pair
   * joined by the server process, the client end at `serialPath`.
   */
  transport?: 'tcp' | 'rtu';
}

/** One request as the server saw it. */
export interface ModbusRequestSeen {
  fc: number;
  address: number;
  count: number;
}

export interface PymodbusServer {
  host: string;
  /** TCP port (transport tcp; 0 for rtu). */
  port: number;
  /** Serial device to open as the client (transport rtu; a new one after restart()). */
  readonly serialPath: string | undefined;
  /** Process id of the server (e.g. to measure its CPU); undefined while stopped. */
  readonly pid: number | undefined;
  /**
   * Requests seen since start (or the last clearRequests()), across restarts. Resolves after a round trip
   * through the server's stdout, so every request answered before the call is included.
   */
  requests(): Promise<ModbusRequestSeen[]>;
  /** Forgets the requests seen so far (after a round trip, so none answered before the call lingers). */
  clearRequests(): Promise<void>;
  /** Client connections: accepted since start (across restarts) and open now (after a round trip, as requests()). */
  connections(): Promise<{ accepted: number; open: number }>;
  /** Current contents of `count` entries of `table` from `address`, read inside the server process. */
  read(table: ModbusTable, address: number, count: number): Promise<number[]>;
  stop(): Promise<void>;
  /** Starts the server again on the same port with the initial contents (e.g. after stop()). */
  restart(): Promise<void>;
}

/** Debian's pymodbus lives in the system python's dist-packages, not in a pyenv/venv python. */
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import pymodbus'], { stdio: 'ignore' }).status === 0);

const SCRIPT = String.raw`
import asyncio, json, os, select, sys, threading, tty
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer

cfg = json.load(open(sys.argv[1]))
port = int(sys.argv[2])
mode = sys.argv[3]
size = int(cfg.get("size", 1000))
out_lock = threading.Lock()

def emit(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

def block(name):
    values = [0] * size
    for addr, value in (cfg.get(name) or {}).items():
        values[int(addr)] = int(value)
    return ModbusSequentialDataBlock(0, values)

class LoggingSlave(ModbusSlaveContext):
    def validate(self, fc_as_hex, address, count=1):
        emit({"event": "request", "fc": int(fc_as_hex), "address": address, "count": count})
        return super().validate(fc_as_hex, address, count)

class LoggingHandler(ModbusConnectedRequestHandler):
    def connection_made(self, transport):
        emit({"event": "connected"})
        super().connection_made(transport)

    def connection_lost(self, call_exc):
        emit({"event": "disconnected"})
        super().connection_lost(call_exc)

slave = LoggingSlave(co=block("co"), di=block("di"), hr=block("hr"), ir=block("ir"), zero_mode=True)
context = ModbusServerContext(slaves=slave, single=True)
stores = {"co": "c", "di": "d", "hr": "h", "ir": "i"}

def control():
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 5 and parts[0] == "get":
            _, rid, table, address, count = parts
            values = slave.store[stores[table]].getValues(int(address), int(count))
            emit({"event": "values", "id": int(rid), "values": [int(v) for v in values]})
    os._exit(0)  # stdin closed: the test process is gone

def pty_pair():
    master, slave_fd = os.openpty()
    tty.setraw(slave_fd)
    return master, slave_fd, os.ttyname(slave_fd)

def relay(a, b):
    # A null-modem cable between two pseudo-terminals: what one end writes, the other reads.
    while True:
        ready, _, _ = select.select([a, b], [], [])
        for src in ready:
            data = os.read(src, 4096)
            os.write(b if src == a else a, data)

async def main_rtu():
    master_a, slave_a, path_a = pty_pair()
    master_b, slave_b, path_b = pty_pair()  # our fds keep both ends open across client reconnects
    threading.Thread(target=relay, args=(master_a, master_b), daemon=True).start()
    server = ModbusSerialServer(context, ModbusRtuFramer, port=path_a, baudrate=int(cfg.get("baudRate", 9600)))
    await server.start()
    emit({"event": "listening", "path": path_b})
    await asyncio.Event().wait()

async def main():
    server = ModbusTcpServer(context, address=("127.0.0.1", port), handler=LoggingHandler, allow_reuse_address=True)
    task = asyncio.ensure_future(server.serve_forever())
    await server.serving
    emit({"event": "listening", "port": port})
    await task

threading.Thread(target=control, daemon=True).start()
asyncio.run(main_rtu() if mode == "rtu" else main())
`;

/**
 * Starts pymodbus on a free loopback port (or a pseudo-terminal for RTU). Fails loudly when pymodbus is missing (.ci/run installs
 * python3-pymodbus with apt-get); never skips.
 */
export async function startPymodbus(contents: PymodbusContents = {}, options: PymodbusOptions = {}): Promise<PymodbusServer> {
  const mode = options.transport ?? 'tcp';
  if (!PYTHON) {
    throw new Error('pymodbus is not installed: apt-get install -y python3-pymodbus (see .ci/run)');
  }
  const port = mode === 'tcp' ? await freePort() : 0;
  const dir = mkdtempSync(join(tmpdir(), 'pymodbus-'));
  const scriptPath = join(dir, 'server.py');
  const configPath = join(dir, 'contents.json');
  writeFileSync(scriptPath, SCRIPT);
  writeFileSync(configPath, JSON.stringify(contents));

  let seen: ModbusRequestSeen[] = [];
  let accepted = 0;
  let open = 0;
  const pending = new Map<number, (values: number[]) => void>();
  let nextId = 1;
  let child: ChildProcess | undefined;
  let stderr = '';
  let serialPath: string | undefined;

  const launch = async () => {
    stderr = '';
    open = 0;
    const c = spawn(PYTHON, [scriptPath, configPath, String(port), mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = c;
    c.stderr.on('data', (d) => (stderr += d));
    let listening = false;
    createInterface({ input: c.stdout }).on('line', (line) => {
      let msg: { event?: string; fc?: number; address?: number; count?: number; id?: number; values?: number[]; path?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.event === 'listening') {
        listening = true;
        serialPath = msg.path;
      } else if (msg.event === 'connected') {
        accepted++;
        open++;
      } else if (msg.event === 'disconnected') open--;
      else if (msg.event === 'request') seen.push({ fc: msg.fc!, address: msg.address!, count: msg.count! });
      else if (msg.event === 'values') {
        pending.get(msg.id!)?.(msg.values!);
        pending.delete(msg.id!);
      }
    });
    await waitFor(
      mode === 'tcp' ? `pymodbus on port ${port}` : 'pymodbus on a serial pseudo-terminal',
      () => {
        if (c.exitCode !== null) throw new Error(`pymodbus exited with ${c.exitCode}: ${stderr.trim()}`);
        return listening; // printed once the listening socket is bound
      },
      { timeoutMs: 15_000 },
    );
  };
  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };

  const read = (table: ModbusTable, address: number, count: number): Promise<number[]> => {
    const c = child;
    if (!c || c.exitCode !== null) return Promise.reject(new Error('pymodbus is not running'));
    const id = nextId++;
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`pymodbus did not answer get ${table} ${address} ${count}: ${stderr.trim()}`));
      }, 5_000);
      pending.set(id, (values) => {
        clearTimeout(timer);
        resolve(values);
      });
      c.stdin!.write(`get ${id} ${table} ${address} ${count}\n`);
    });
  };

  /** Everything the server printed before now has been processed once it answers a control line. */
  const sync = async () => {
    if (child && child.exitCode === null && child.signalCode === null) await read('co', 0, 1);
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    get serialPath() {
      return serialPath;
    },
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    requests: async () => {
      await sync();
      return [...seen];
    },
    connections: async () => {
      await sync();
      return { accepted, open };
    },
    clearRequests: async () => {
      await sync();
      seen = [];
    },
    read,
    stop: halt,
    restart: async () => {
      await halt();
      await launch();
    },
  };
}
