import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { findServerBinary } from './server-binary.js';
import { waitFor } from './wait.js';
import { errorMessage } from '@edgex-ts/contracts';

export interface ConsulAgent {
  /** `127.0.0.1:<port>`, the form of CONSUL_HTTP_ADDR. */
  readonly addr: string;
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** GET/PUT against the agent's HTTP API (path after /v1). */
  api<T = unknown>(path: string, init?: { method?: string; body?: string }): Promise<T>;
  /** Everything the agent printed (for assertion messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a real Consul agent in -dev mode on free loopback ports (DNS and gRPC off), data in a temp dir,
 * and resolves once it has elected itself leader. Fails with the install command when consul is missing.
 */
export async function startConsul(): Promise<ConsulAgent> {
  const bin = findServerBinary('consul', 'EDGEX_TS_CONSUL_BIN');
  const [http, serfLan, serfWan, server] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'edgex-ts-consul-'));
  const args = [
    'agent',
    '-dev',
    '-client=127.0.0.1',
    '-bind=127.0.0.1',
    `-data-dir=${dataDir}`,
    `-http-port=${http}`,
    '-dns-port=-1',
    '-grpc-port=-1',
    '-grpc-tls-port=-1',
    `-serf-lan-port=${serfLan}`,
    `-serf-wan-port=${serfWan}`,
    `-server-port=${server}`,
    '-log-level=warn',
    '-disable-host-node-id',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${http}`;
  const api = async <T>(path: string, init: { method?: string; body?: string } = {}): Promise<T> => {
    const res = await fetch(`${url}/v1${path}`, { method: init.method ?? 'GET', body: init.body });
    const text = await res.text();
    if (!res.ok) throw new Error(`consul ${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `consul agent on ${url} to elect a leader`,
      async () => {
        if (child.exitCode !== null) throw new Error(`consul exited with ${child.exitCode}: ${out}`);
        return (await api<string>('/status/leader')) !== '' || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (err) {
    await stop();
    throw new Error(`${errorMessage(err)}\nconsul ${args.join(' ')}\n${out}`);
  }
  return { addr: `127.0.0.1:${http}`, host: '127.0.0.1', port: http, url, api, output: () => out, stop };
}
