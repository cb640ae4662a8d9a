import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, freePort } from './ports.js';
import { findServerBinary } from './server-binary.js';
import { waitFor } from './wait.js';
import { errorMessage } from '@edgex-ts/contracts';

export interface FerretDb {
  /** `mongodb://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Everything FerretDB printed (for assertion messages). */
  output(): string;
  /** Stops the server and starts it again on the same port and data (e.g. to test reconnects). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real FerretDB v1 (MongoDB wire protocol) with its SQLite handler on a free loopback port, data in a
 * temp dir, telemetry off. Fails with the install command when ferretdb is missing.
 */
export async function startFerretDb(): Promise<FerretDb> {
  const bin = findServerBinary('ferretdb', 'EDGEX_TS_FERRETDB_BIN');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'edgex-ts-ferretdb-'));
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dir}/`,
    `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--debug-addr=-',
    '--log-level=warn',
  ];
  let out = '';
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const launch = async () => {
    const c = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    child = c;
    exited = once(c, 'exit');
    await waitFor(
      `ferretdb on 127.0.0.1:${port}`,
      async () => {
        if (c.exitCode !== null) throw new Error(`ferretdb exited with ${c.exitCode}: ${out}`);
        return acceptsConnections(port);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  };
  const halt = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await launch();
  } catch (err) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${errorMessage(err)}\nferretdb ${args.join(' ')}\n${out}`);
  }
  return {
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    output: () => out,
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
