import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startSupportScheduler, type SupportSchedulerConfigInput, type SupportSchedulerHandle } from '../index.js';

export interface SchedulerUnderTest {
  handle: SupportSchedulerHandle;
  /** `url('/job/all')` → `http://127.0.0.1:<port>/api/v3/job/all`. */
  url(path: string): string;
  /** Stops the service (the database stays for a restart). */
  stop(): Promise<void>;
}

/** A temporary directory for SQLite files, removed by `remove()`. */
export function tempDir(prefix = 'scheduler-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** support-scheduler on ephemeral ports, quiet (unless given a `log`), without a bus unless `overrides` say. */
export async function startScheduler(overrides: SupportSchedulerConfigInput, log?: Logger): Promise<SchedulerUnderTest> {
  const handle = await startSupportScheduler({
    argv: [],
    env: {},
    ...(log ? { log } : {}),
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s', RequestTimeout: '2s' },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      ...overrides,
    },
  });
  return {
    handle,
    url: (path) => `http://127.0.0.1:${handle.restPort}/api/v3${path}`,
    stop: () => handle.stop(),
  };
}

/** POSTs/PATCHes an EdgeX batch of one item and returns the 207's first item. */
export async function batchOne(
  method: 'POST' | 'PATCH',
  url: string,
  item: Record<string, unknown>,
): Promise<{ statusCode: number; message?: string; id?: string }> {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ apiVersion: 'v3', ...item }]) });
  if (res.status !== 207) throw new Error(`${method} ${url}: expected 207, got ${res.status} ${await res.text()}`);
  const [first] = (await res.json()) as { statusCode: number; message?: string; id?: string }[];
  return first;
}
