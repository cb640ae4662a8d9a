// The all-in-one on the production backends: Consul (registry + KV config) and MongoDB (FerretDB) for
// every store. Configuration only: CONSUL_HTTP_ADDR and MONGODB_URL.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MongoClient } from 'mongodb';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { startConsul, type ConsulAgent } from '../helpers/consul.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { waitFor } from '../helpers/wait.js';
import { readJson, type MultiReadingsResponse } from '../helpers/http.js';

let consul: ConsulAgent;
let ferret: FerretDb;
let suite: Suite | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'edgex-suite-prod-'));
const DB = 'edgex_e2e';

before(async () => {
  [consul, ferret] = await Promise.all([startConsul(), startFerretDb()]);
});
after(async () => {
  await suite?.stop();
  await Promise.all([consul?.stop(), ferret?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('with CONSUL_HTTP_ADDR and MONGODB_URL: every service passes in Consul, readings, logs, schedules and notifications live in MongoDB', async () => {
  suite = await startSuite({
    ephemeralPorts: true,
    dataDir,
    // Its start-up lines (INFO) are what it ships to support-logging.
    serviceOverrides: { 'core-data': { Writable: { LogLevel: 'INFO' } } },
    env: {
      CONSUL_HTTP_ADDR: consul.addr,
      REGISTRY_CHECKINTERVAL: '1s',
      REGISTRY_CONFIGSTEM: 'edgex-ts-prod',
      MONGODB_URL: `${ferret.url}${DB}`,
      WRITABLE_LOGLEVEL: 'ERROR',
      LOGGING_ENABLEREMOTELOGGING: 'true',
    },
  });
  for (const s of suite.services) {
    await waitFor(`${s.name} passing in Consul`, async () => {
      const checks = await consul.api<{ Status: string }[]>(`/health/checks/${s.name}`);
      return checks.length === 2 && checks.every((c) => c.Status === 'passing');
    });
  }

  const core = suite.endpoint('core-data').rest;
  const viaRest = await waitFor('virtual readings served by core-data', async () => {
    const body = await readJson<MultiReadingsResponse>(await fetch(`${core}/api/v3/reading/all?limit=5`));
    return body.readings.length > 0 ? body.readings : undefined;
  });

  const mongo = await MongoClient.connect(ferret.url);
  try {
    const db = mongo.db(DB);
    for (const r of viaRest) {
      assert.ok(await db.collection('reading').findOne({ id: r.id, device: r.deviceName }), `reading ${r.id} is stored in MongoDB`);
    }
    // device-virtual provisions in the background; its devices end up in core-metadata's MongoDB collection.
    await waitFor('devices in MongoDB', async () => (await db.collection('device').countDocuments()) > 0);
    // The support services store there too: every service's log lines, the seeded default schedule, notifications.
    await waitFor('log lines of core-data in MongoDB', async () => (await db.collection('logEntries').countDocuments({ originService: 'core-data' })) > 0);
    assert.ok(await db.collection('interval_action').findOne({ name: 'scrub-aged-events' }), "support-scheduler's default schedule is stored in MongoDB");
    const notifications = suite.endpoint('support-notifications').rest;
    const added = await fetch(`${notifications}/api/v3/notification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ apiVersion: 'v3', notification: { category: 'e2e', content: 'stored in MongoDB', sender: 'e2e', severity: 'NORMAL' } }]),
    });
    const [item] = (await added.json()) as { statusCode: number; id: string }[];
    assert.equal(item.statusCode, 201);
    assert.ok(await db.collection<{ _id: string }>('notifications').findOne({ _id: item.id }), 'the notification is stored in MongoDB');
  } finally {
    await mongo.close();
  }
  assert.deepEqual(
    readdirSync(dataDir).filter((f) => f.endsWith('.db')),
    [],
    'no SQLite file is created when MongoDB is configured',
  );
});
