import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { CoreMetadataClient } from '@edgex-ts/client';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { startCoreCommand, type CoreCommandHandle } from '../index.js';
import { startDevicePeer, type DevicePeer } from './device-peer.js';
import { THERMOSTAT_PROFILE, thermostat } from './fixtures.js';

/** The device service the peer plays, and one nobody plays (its commands time out). */
export const PEER_SERVICE = 'test-ds';
export const SILENT_SERVICE = 'silent-ds';

/**
 * The command world of the tests: a real Mosquitto, a real core-metadata holding the Thermostat profile
 * and devices (t-1, t-2 fine; t-locked LOCKED; t-down DOWN; t-broken and t-gone answered with errors; t-silent
 * on a device service that never answers), the peer device service, and core-command under test.
 */
export interface CommandWorld {
  broker: MosquittoBroker;
  metadata: CoreMetadataHandle;
  metadataClient: CoreMetadataClient;
  peer: DevicePeer;
  command: CoreCommandHandle;
  /** http://127.0.0.1:<port>/api/v3 of core-command. */
  base: string;
  /** core-command's base URL as it advertises it in core commands. */
  url: string;
  call(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string; body: any }>;
  stop(): Promise<void>;
}

export const DEVICES = ['t-1', 't-2', 't-locked', 't-down', 't-broken', 't-gone', 't-silent'];

export async function startCommandWorld(opts: { requestTimeout?: string } = {}): Promise<CommandWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'core-command-'));
  const broker = await startMosquitto();
  const metadata = await startCoreMetadata({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
      Writable: { LogLevel: 'ERROR' },
      Database: { Path: join(dir, 'md.db') },
      // its system events keep core-command's metadata cache current
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `core-metadata-test-${process.pid}-${Date.now()}`, CleanSession: true } },
    },
  });
  const metadataClient = new CoreMetadataClient(`127.0.0.1:${metadata.grpcPort}`);
  for (const name of [PEER_SERVICE, SILENT_SERVICE]) {
    await metadataClient.addDeviceService({ name, baseAddress: `http://${name}:59999`, adminState: 'UNLOCKED' } as never);
  }
  await metadataClient.addDeviceProfile(THERMOSTAT_PROFILE);
  // Over REST with bypassValidation: nobody plays silent-ds, so nobody would answer core-metadata's validation request.
  const added = await fetch(`http://127.0.0.1:${metadata.restPort}/api/v3/device?bypassValidation=true`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(
      DEVICES.map((name) => ({
        apiVersion: 'v3',
        device: thermostat(name, name === 't-silent' ? SILENT_SERVICE : PEER_SERVICE, {
          ...(name === 't-locked' ? { adminState: 'LOCKED' } : {}),
          ...(name === 't-down' ? { operatingState: 'DOWN' } : {}),
        }),
      })),
    ),
  });
  const results = (await added.json()) as { statusCode: number; message?: string }[];
  const failed = results.filter((r) => r.statusCode !== 201);
  if (failed.length) throw new Error(`adding the test devices failed: ${JSON.stringify(failed)}`);
  const peer = await startDevicePeer(broker.url, PEER_SERVICE);
  const command = await startCoreCommand({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s', RequestTimeout: opts.requestTimeout ?? '1s' },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `core-command-test-${process.pid}-${Date.now()}`, CleanSession: true } },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } },
    },
  });
  const base = `http://127.0.0.1:${command.restPort}/api/v3`;
  return {
    broker,
    metadata,
    metadataClient,
    peer,
    command,
    base,
    url: `http://127.0.0.1:${command.restPort}`,
    async call(method, path, init = {}) {
      const res = await fetch(base + path, { method, body: init.body, headers: init.headers });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, text, body };
    },
    async stop() {
      await command.stop();
      await peer.stop();
      metadataClient.close();
      await metadata.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
