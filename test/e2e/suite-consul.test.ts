// The all-in-one with CONSUL_HTTP_ADDR: every service registers with Consul and keeps its config in KV.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { startConsul, type ConsulAgent } from '../helpers/consul.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

let consul: ConsulAgent;
let suite: Suite | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'edgex-suite-consul-'));

before(async () => {
  consul = await startConsul();
});
after(async () => {
  await suite?.stop();
  await consul?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('with CONSUL_HTTP_ADDR every service of the all-in-one passes in Consul, and is deregistered on stop', async () => {
  suite = await startSuite({
    ephemeralPorts: true,
    dataDir,
    brokerPort: await freePort(),
    env: { CONSUL_HTTP_ADDR: consul.addr, REGISTRY_CHECKINTERVAL: '1s', REGISTRY_CONFIGSTEM: 'edgex-ts-suite', WRITABLE_LOGLEVEL: 'ERROR' },
  });
  const names = suite.services.map((s) => s.name).sort();
  assert.ok(names.includes('core-data') && names.includes('core-metadata'), names.join(','));
  for (const s of suite.services) {
    await waitFor(`${s.name} passing in Consul`, async () => {
      const checks = await consul.api<{ Status: string }[]>(`/health/checks/${s.name}`);
      return checks.length === 2 && checks.every((c) => c.Status === 'passing');
    });
    const kv = await consul.api<{ Value: string }[]>(`/kv/edgex-ts-suite/${s.name}/Writable/LogLevel`);
    assert.equal(Buffer.from(kv[0].Value, 'base64').toString(), 'INFO');
  }
  await suite.stop();
  suite = undefined;
  for (const name of names) assert.deepEqual(await consul.api(`/catalog/service/${name}`), []);
});
