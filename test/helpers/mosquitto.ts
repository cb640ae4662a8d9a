import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, freePort } from './ports.js';
import { waitFor } from './wait.js';

export interface MosquittoBroker {
  port: number;
  url: string;
  /** The broker process (changes with restart()), e.g. for CPU figures. */
  readonly pid: number;
  stop(): Promise<void>;
  /** Starts the broker again on the same port (same persistence file), e.g. after stop(). */
  restart(): Promise<void>;
}

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync(p, ['-h']).error === undefined);

/**
 * Starts a real Mosquitto broker on a free loopback port. Fails loudly when Mosquitto is not installed
 * (.ci/run installs it with apt-get), never silently skips.
 */
export async function startMosquitto(opts: { tcpNoDelay?: boolean } = {}): Promise<MosquittoBroker> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed: apt-get install -y mosquitto (see .ci/run)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const confPath = join(dir, 'mosquitto.conf');
  writeFileSync(
    confPath,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      // Stay the invoking user: when started as root Mosquitto drops to its own user, which cannot
      // write its persistence file into our private temp dir, and restart() would lose sessions.
      `user ${userInfo().username}`,
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 100000',
      'max_inflight_messages 100',
      // As a production broker for request/response traffic should be: no Nagle delay on small packets
      // (Mosquitto's default leaves Nagle on, and a small reply then waits ~40 ms for a delayed ACK).
      `set_tcp_nodelay ${opts.tcpNoDelay ?? true}`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(MOSQUITTO, ['-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    await waitFor(`mosquitto on port ${port} (${stderr.trim()})`, () => acceptsConnections(port), { timeoutMs: 10_000 });
  };
  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get pid() {
      return child!.pid!;
    },
    stop: halt,
    restart: async () => {
      await halt();
      await launch();
    },
  };
}
