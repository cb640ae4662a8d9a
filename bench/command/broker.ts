// Mosquitto for the benchmark, like test/helpers/mosquitto.ts but with `set_tcp_nodelay` selectable: with
// Mosquitto's default (Nagle on) a small reply written right after another small packet waits for the peer's
// delayed ACK (~40 ms on Linux), which dominates a command round trip over the bus.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, freePort } from '../../test/helpers/ports.js';
import { waitFor } from '../../test/helpers/wait.js';

export interface BenchBroker {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startBenchBroker(opts: { tcpNoDelay: boolean }): Promise<BenchBroker> {
  const binary = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => {
    try {
      return existsSync(p);
    } catch {
      return false;
    }
  });
  if (!binary) throw new Error('mosquitto is not installed: apt-get install -y mosquitto');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      `user ${userInfo().username}`,
      'max_queued_messages 100000',
      'max_inflight_messages 100',
      `set_tcp_nodelay ${opts.tcpNoDelay}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  await waitFor(`mosquitto on ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
    return acceptsConnections(port);
  });
  return {
    port,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
