/**
 * Free loopback ports for test servers, taken outside the kernel's range for outgoing connections.
 *
 * A port the kernel hands out for `listen(0)` lies in that range, so once a test server on it stops (to be
 * restarted on the same port, or before it first binds), the kernel may pick the same port for an outgoing
 * connection: a client connecting to the stopped server can then connect to itself (TCP simultaneous
 * open) and read its own request back as the answer, and the server cannot bind again while that
 * connection lives. Ports below the range are never chosen for outgoing connections, so neither happens.
 */
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';

/** EdgeX's own ports (59xxx); tests that need them ask for them by number. */
const EDGEX_PORTS = { low: 59000, high: 59999 };
const LOWEST = 10_000;

/** The kernel's range for outgoing connections (Linux's default when it cannot be read). */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return { low: low, high: high };
  } catch {
    // not Linux: fall through
  }
  return { low: 32768, high: 60999 };
}

/** Ports from LOWEST up to 65535 that are neither in the ephemeral range nor EdgeX's. */
function candidateRanges(): { low: number; high: number }[] {
  const eph = ephemeralRange();
  const ranges: { low: number; high: number }[] = [];
  const add = (low: number, high: number) => {
    for (const gap of [EDGEX_PORTS, eph]) {
      if (low <= gap.high && high >= gap.low) {
        add(low, gap.low - 1);
        add(gap.high + 1, high);
        return;
      }
    }
    if (high - low >= 0) ranges.push({ low, high });
  };
  add(LOWEST, 65535);
  if (ranges.reduce((n, r) => n + r.high - r.low + 1, 0) < 1000) {
    throw new Error(`too few ports outside the ephemeral range ${eph.low}-${eph.high} for test servers`);
  }
  return ranges;
}

const RANGES = candidateRanges();
const SIZE = RANGES.reduce((n, r) => n + r.high - r.low + 1, 0);

function randomCandidate(): number {
  let i = Math.floor(Math.random() * SIZE);
  for (const r of RANGES) {
    const size = r.high - r.low + 1;
    if (i < size) return r.low + i;
    i -= size;
  }
  throw new Error('unreachable');
}

function tryListen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

/** Holds `count` distinct free ports at once (so none is handed out twice), then releases them. */
export async function freePorts(count: number): Promise<number[]> {
  const held = new Map<number, Server>();
  for (let attempts = 0; held.size < count; attempts++) {
    if (attempts > 1000) throw new Error(`found only ${held.size} of ${count} free ports outside the ephemeral range`);
    const port = randomCandidate();
    if (held.has(port)) continue;
    const srv = await tryListen(port);
    if (srv) held.set(port, srv);
  }
  await Promise.all([...held.values()].map((srv) => new Promise((resolve) => srv.close(resolve))));
  return [...held.keys()];
}

/** A free TCP port on loopback, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** True when something accepts TCP connections on loopback `port`. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
