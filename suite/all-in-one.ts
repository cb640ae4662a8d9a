#!/usr/bin/env node
// The whole edgex-ts suite in one Node process on embedded defaults: SQLite files under ./data,
// an embedded MQTT broker, a static registry (Consul when CONSUL_HTTP_ADDR is set), and device-virtual
// producing readings.
import { ConfigError, runMain } from '@edgex-ts/runtime';
import { startSuite } from './src/suite.js';

const env = process.env;

/** A TCP port from an environment variable, or a clear error naming the variable. */
function portFromEnv(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} = "${text}": expected a port number (0-65535)`);
  }
  return port;
}

// LOGGING_* set log shipping (on by default here: support-logging runs in this process; LOGGING_ENABLEREMOTELOGGING=false
// turns it off). CONSUL_HTTP_ADDR (and REGISTRY_*) make every service register with Consul and keep its config in Consul KV;
// MONGODB_URL (and DATABASE_TYPE/URL/NAME/TIMEOUT) puts every store in MongoDB. DATABASE_PATH stays per service.
const SUITE_WIDE_DATABASE_KEYS = new Set(['MONGODB_URL', 'DATABASE_TYPE', 'DATABASE_URL', 'DATABASE_NAME', 'DATABASE_TIMEOUT']);
const suiteEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(env).filter(
    ([k]) =>
      k.startsWith('MESSAGEBUS_') ||
      k.startsWith('WRITABLE_') ||
      k.startsWith('LOGGING_') ||
      k.startsWith('REGISTRY_') ||
      k === 'CONSUL_HTTP_ADDR' ||
      k === 'CONSUL_HTTP_TOKEN' ||
      k === 'CONSUL_HTTP_SSL' ||
      SUITE_WIDE_DATABASE_KEYS.has(k),
  ),
);

suiteEnv.LOGGING_ENABLEREMOTELOGGING ??= 'true';

// As every service's own process: a signal while starting is honoured once every service is up.
await runMain('edgex-ts', async () => {
  const suite = await startSuite({
    dataDir: env.EDGEX_DATA_DIR ?? './data',
    host: env.EDGEX_HOST ?? 'localhost',
    brokerPort: portFromEnv('EDGEX_BROKER_PORT', 1883),
    externalBroker: env.MESSAGEBUS_HOST ? { host: env.MESSAGEBUS_HOST, port: portFromEnv('MESSAGEBUS_PORT', 1883) } : undefined,
    env: suiteEnv,
  });
  const rows = suite.services.map((s) => `  ${s.name.padEnd(22)} REST ${s.rest.padEnd(26)} gRPC ${s.grpc}`);
  const brokerLine = `  ${'message bus'.padEnd(22)} MQTT mqtt://${suite.broker.host}:${suite.broker.port}${suite.broker.embedded ? ' (embedded)' : ''}`;
  process.stderr.write(
    [
      '',
      'edgex-ts all-in-one is up:',
      ...rows,
      brokerLine,
      '',
      `  try: curl 'http://localhost:${suite.endpoint('core-data').restPort}/api/v3/reading/all?limit=5'`,
      '',
    ].join('\n') + '\n',
  );
  return suite;
});
