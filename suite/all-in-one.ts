#!/usr/bin/env node
// The whole edgex-ts suite in one Node process on embedded defaults: SQLite files under ./data,
// an embedded MQTT broker, a static registry (Consul when CONSUL_HTTP_ADDR is set), and device-virtual
// producing readings.
import { startSuite } from './src/suite.js';

const env = process.env;

/** A TCP port from an environment variable, or a clear error naming the variable. */
function portFromEnv(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`edgex-ts: ${name} = "${text}": expected a port number (0-65535)\n`);
    process.exit(2);
  }
  return port;
}

const externalBroker = env.MESSAGEBUS_HOST
  ? { host: env.MESSAGEBUS_HOST, port: portFromEnv('MESSAGEBUS_PORT', 1883) }
  : undefined;
// CONSUL_HTTP_ADDR (and REGISTRY_*) make every service register with Consul and keep its config in Consul KV;
// MONGODB_URL (and DATABASE_TYPE/URL/NAME/TIMEOUT) puts every store in MongoDB. DATABASE_PATH stays per service.
const SUITE_WIDE_DATABASE_KEYS = new Set(['MONGODB_URL', 'DATABASE_TYPE', 'DATABASE_URL', 'DATABASE_NAME', 'DATABASE_TIMEOUT']);
const suiteEnv = Object.fromEntries(
  Object.entries(env).filter(
    ([k]) =>
      k.startsWith('MESSAGEBUS_') ||
      k.startsWith('WRITABLE_') ||
      k.startsWith('REGISTRY_') ||
      k === 'CONSUL_HTTP_ADDR' ||
      k === 'CONSUL_HTTP_TOKEN' ||
      k === 'CONSUL_HTTP_SSL' ||
      SUITE_WIDE_DATABASE_KEYS.has(k),
  ),
);

// A signal during start-up is honoured once the services are up (each is then stopped cleanly).
let stopRequested: string | undefined;
let stopSuite: ((signal: string) => void) | undefined;
const onSignal = (signal: string) => {
  if (stopSuite) return stopSuite(signal);
  if (stopRequested) {
    // A second signal while still starting (a service that never comes up): leave at once.
    process.stderr.write(`edgex-ts: ${signal} again during start-up, exiting without a clean stop\n`);
    process.exit(1);
  }
  stopRequested = signal;
  process.stderr.write(`edgex-ts: ${signal} received while starting; stopping once the services are up (again to exit now)\n`);
};
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

try {
  const suite = await startSuite({
    dataDir: env.EDGEX_DATA_DIR ?? './data',
    host: env.EDGEX_HOST ?? 'localhost',
    brokerPort: portFromEnv('EDGEX_BROKER_PORT', 1883),
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
  stopSuite = (signal: string) => {
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
  if (stopRequested) stopSuite(stopRequested);
} catch (err) {
  process.stderr.write(`edgex-ts: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
