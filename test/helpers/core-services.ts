// Our three core services (core-metadata, core-data, core-command) in this process, each with its own ports, SQLite
// files and bus client, on a real Mosquitto: what an EdgeX device service (ours or EdgeX's own) is pointed at.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startCoreData, type CoreDataHandle } from '@edgex-ts/core-data';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { startMosquitto, type MosquittoBroker } from './mosquitto.js';

export interface CoreServices {
  broker: MosquittoBroker;
  metadata: CoreMetadataHandle;
  data: CoreDataHandle;
  command: CoreCommandHandle;
  /** REST URLs of each service: `url.data('/event/count')` → `http://127.0.0.1:<port>/api/v3/event/count`. */
  url: Record<'metadata' | 'data' | 'command', (path: string) => string>;
  /** Stops the services and the broker, and removes their files. */
  stop(): Promise<void>;
}

/** Starts Mosquitto and the core services; `service` goes into every service's `Service` section. */
export async function startCoreServices(opts: { service?: { EnableNameFieldEscape?: boolean } } = {}): Promise<CoreServices> {
  const dir = mkdtempSync(join(tmpdir(), 'edgex-core-'));
  const broker = await startMosquitto();
  const common = (name: string) => ({
    Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s', ...opts.service },
    Writable: { LogLevel: 'ERROR' as const },
    MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `${name}-${process.pid}-${broker.port}`, CleanSession: true } },
  });
  const metadata = await startCoreMetadata({
    argv: [],
    env: {},
    configOverrides: { ...common('core-metadata'), Database: { Path: join(dir, 'metadata.db') } },
  });
  const clients = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } };
  const data = await startCoreData({
    argv: [],
    env: {},
    configOverrides: { ...common('core-data'), Database: { Path: join(dir, 'data.db') }, Clients: clients },
  });
  const command = await startCoreCommand({ argv: [], env: {}, configOverrides: { ...common('core-command'), Clients: clients } });
  const base = (port: number) => (path: string) => `http://127.0.0.1:${port}/api/v3${path}`;
  return {
    broker,
    metadata,
    data,
    command,
    url: { metadata: base(metadata.restPort), data: base(data.restPort), command: base(command.restPort) },
    async stop() {
      await command.stop();
      await data.stop();
      await metadata.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
