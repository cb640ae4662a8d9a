// Log shipping with Registry.Type consul: support-logging is found through Consul's catalog (no Clients entry), and
// Logging.EnableRemoteLogging can come from Consul KV. Real Consul agent, real support-logging.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { commonConfigSchema, createServiceRuntime, loadConfig, type ServiceRuntime } from '@edgex-ts/runtime';
import { startConsul, type ConsulAgent } from '../../../test/helpers/consul.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startSupportLogging, type SupportLoggingHandle } from './index.js';

const STEM = 'edgex-ts-shipping';
let consul: ConsulAgent;
let logging: SupportLoggingHandle | undefined;
let probe: ServiceRuntime | undefined;
const dir = mkdtempSync(join(tmpdir(), 'support-logging-consul-'));

before(async () => {
  consul = await startConsul();
});
after(async () => {
  await probe?.stop();
  await logging?.stop();
  await consul?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a service whose Consul KV switches shipping on finds support-logging in the catalog and ships to it', async () => {
  const env = { CONSUL_HTTP_ADDR: consul.addr, REGISTRY_CHECKINTERVAL: '1s', REGISTRY_CONFIGSTEM: STEM, SERVICE_HOST: '127.0.0.1' };
  logging = await startSupportLogging({
    configOverrides: { Service: { Port: 0, GrpcPort: 0 }, Database: { Path: join(dir, 'logs.db') } },
    env: { ...env, WRITABLE_LOGLEVEL: 'ERROR' },
    argv: [],
  });
  await waitFor('support-logging passing in Consul', async () => {
    const checks = await consul.api<{ Status: string }[]>('/health/checks/support-logging');
    return checks.length === 2 && checks.every((c) => c.Status === 'passing');
  });

  await consul.api(`/kv/${STEM}/shipping-probe/Logging/EnableRemoteLogging`, { method: 'PUT', body: 'true' });
  await consul.api(`/kv/${STEM}/shipping-probe/Logging/RemoteFlushInterval`, { method: 'PUT', body: '50ms' });
  const config = loadConfig({
    service: 'shipping-probe',
    schema: commonConfigSchema,
    argv: [],
    env: { ...env, MESSAGEBUS_DISABLED: 'true' },
  });
  assert.equal(config.Logging.EnableRemoteLogging, false, 'off in the file and environment');
  probe = await createServiceRuntime({ name: 'shipping-probe', config });
  assert.equal(config.Logging.EnableRemoteLogging, true, 'switched on by Consul KV');
  probe.log.warn({ tank: 7 }, 'level low');

  const entries = await waitFor('the line in support-logging', async () => {
    const { entries } = await logging!.domain.query({ originServices: ['shipping-probe'], keywords: ['level low'] }, { offset: 0, limit: 5 }, 'oldest-first');
    return entries.length > 0 && entries;
  });
  assert.equal(entries[0].logLevel, 'WARN');
  assert.deepEqual(entries[0].args, ['tank', 7]);
});
