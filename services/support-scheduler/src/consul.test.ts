// support-scheduler with its configuration in Consul: registered in the catalog, its keys seeded in KV, and a
// scrub-aged-events age set in KV before the first start seeded into the store.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { startConsul, type ConsulAgent } from '../../../test/helpers/consul.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startSupportScheduler } from './index.js';
import { tempDir } from './test-support/harness.js';

let consul: ConsulAgent;
const dir = tempDir();

before(async () => {
  consul = await startConsul();
});
after(async () => {
  await consul?.stop();
  dir.remove();
});

const kv = async (key: string) => {
  const [entry] = await consul.api<{ Value: string }[]>(`/kv/edgex-ts/support-scheduler/${key}`);
  return Buffer.from(entry.Value, 'base64').toString();
};

test('registered in Consul, keys seeded in KV, the configured default schedule taken from KV', async () => {
  const oneDayNs = '86400000000000';
  await consul.api('/kv/edgex-ts/support-scheduler/IntervalActions/ScrubAged/Path', { method: 'PUT', body: `/api/v3/event/age/${oneDayNs}` });
  const svc = await startSupportScheduler({
    argv: [],
    env: { CONSUL_HTTP_ADDR: consul.addr },
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Database: { Path: join(dir.path, 'c.db') },
      MessageBus: { Disabled: true },
    },
    log: pino({ level: 'silent' }),
  });
  try {
    const registered = await waitFor('the catalog entry', async () => {
      const entries = await consul.api<{ ServicePort: number }[]>('/catalog/service/support-scheduler');
      return entries.length > 0 && entries;
    });
    assert.equal(registered[0].ServicePort, svc.restPort);
    assert.equal(await kv('ScheduleIntervalTime'), '500');
    assert.equal(await kv('Retention/MaxCap'), '10000');
    assert.equal(await kv('Intervals/Midnight/Interval'), '24h');
    const action = await svc.domain.intervalActions.byName('scrub-aged-events');
    assert.equal(action.address.path, `/api/v3/event/age/${oneDayNs}`);
  } finally {
    await svc.stop();
  }
});
