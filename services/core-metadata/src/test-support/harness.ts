import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreMetadata, type CoreMetadataConfigInput, type CoreMetadataHandle } from '../index.js';

export interface TestMetadata {
  handle: CoreMetadataHandle;
  dbPath: string;
  base: string;
  /** JSON request against the REST port; returns status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Raw request (e.g. non-JSON or multipart bodies). */
  raw(method: string, path: string, init: { body?: string | FormData | Uint8Array; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** A temp folder removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'core-metadata-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts core-metadata on ephemeral ports with its SQLite file at `dbPath` (unless `env` switches the store, e.g.
 * MONGODB_URL); the bus only when `brokerPort` is given.
 */
export async function startTestMetadata(opts: {
  dbPath: string;
  brokerPort?: number;
  env?: NodeJS.ProcessEnv;
  /** More settings: UoM, and Writable keys besides LogLevel. */
  config?: Pick<CoreMetadataConfigInput, 'UoM' | 'Writable'>;
}): Promise<TestMetadata> {
  const handle = await startCoreMetadata({
    argv: [],
    env: opts.env ?? {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
      ...(opts.config?.UoM ? { UoM: opts.config.UoM } : {}),
      Writable: { LogLevel: 'ERROR', ...opts.config?.Writable },
      Database: { Path: opts.dbPath },
      MessageBus:
        opts.brokerPort === undefined
          ? { Disabled: true }
          : {
              Disabled: false,
              Host: '127.0.0.1',
              Port: opts.brokerPort,
              Optional: { ClientId: `core-metadata-test-${process.pid}-${Date.now()}`, CleanSession: true },
            },
    },
  });
  const base = `http://127.0.0.1:${handle.restPort}/api/v3`;
  const raw: TestMetadata['raw'] = async (method, path, init) => {
    const res = await fetch(base + path, { method, body: init.body, headers: init.headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* leave as text */
    }
    return { status: res.status, body };
  };
  return {
    handle,
    dbPath: opts.dbPath,
    base,
    raw,
    call: (method, path, body) => raw(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    stop: () => handle.stop(),
  };
}
