#!/usr/bin/env node
// The whole edgex-ts suite in one Node process on embedded defaults: SQLite files under ./data,
// an embedded MQTT broker, a static registry, and device-virtual producing readings.
import { startSuite } from './src/suite.js';

const env = process.env;
const externalBroker = env.MESSAGEBUS_HOST
  ? { host: env.MESSAGEBUS_HOST, port: Number(env.MESSAGEBUS_PORT ?? 1883) }
  : undefined;
const suiteEnv = Object.fromEntries(
  Object.entries(env).filter(([k]) => k.startsWith('MESSAGEBUS_') || k.startsWith('WRITABLE_')),
);

try {
  const suite = await startSuite({
    dataDir: env.EDGEX_DATA_DIR ?? './data',
    host: env.EDGEX_HOST ?? 'localhost',
    brokerPort: env.EDGEX_BROKER_PORT ? Number(env.EDGEX_BROKER_PORT) : undefined,
    externalBroker,
    env: suiteEnv,
  });
  const rows = suite.services.map((s) => `  ${s.name.padEnd(16)} REST ${s.rest.padEnd(26)} gRPC ${s.grpc}`);
  const brokerLine = `  ${'message bus'.padEnd(16)} MQTT mqtt://${suite.broker.host}:${suite.broker.port}${suite.broker.embedded ? ' (embedded)' : ''}`;
  process.stderr.write(
    ['', 'edgex-ts all-in-one is up:', ...rows, brokerLine, '',
      `  try: curl 'http://localhost:${suite.endpoint('core-data').restPort}/api/v3/reading/all?limit=5'`, ''].join('\n') + '\n',
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`edgex-ts: ${signal} received, stopping\n`);
    suite.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`edgex-ts: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  process.stderr.write(`edgex-ts: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
