// Retention on SQLite and MongoDB (FerretDB): entries beyond MaxAge go; at MaxCap or more stored, the oldest go
// until MinCap remain; the service's timer does it on its own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { databaseSectionSchema } from '@edgex-ts/runtime';
import { pino } from 'pino';
import { waitFor } from '../../../test/helpers/wait.js';
import { supportLoggingConfigSchema } from './config.js';
import { createLoggingDomain } from './domain/index.js';
import { runRetentionPass } from './retention.js';
import { openLogStore } from './store/open.js';
import { databaseBackends } from '../../../test/helpers/database-backends.js';
import { startTestSupportLogging } from './test-support/start.js';

const silent = pino({ level: 'silent' });
const NOW = 10_000_000;

const retention = (r: Record<string, unknown>) => supportLoggingConfigSchema.shape.Retention.parse(r);

for (const { name, fresh: database } of databaseBackends('support_logging_retention')) {
  describe(`Retention on ${name}`, () => {
    const domainWith = async (createdAt: number[]) => {
      const store = await openLogStore(databaseSectionSchema.parse(database()), silent);
      const domain = createLoggingDomain({ store, maxResultCount: 1000, now: () => NOW });
      await domain.add(createdAt.map((created, i) => ({ originService: 'svc', logLevel: 'INFO', message: `m${i}`, args: [], created })));
      return domain;
    };

    test('a pass removes the entries older than MaxAge', async () => {
      const domain = await domainWith([NOW - 5000, NOW - 3000, NOW - 1000, NOW]);
      try {
        const result = await runRetentionPass(domain, retention({ MaxAge: '2s', MaxCap: 100, MinCap: 50 }));
        assert.deepEqual(result, { removedByAge: 2, removedByCap: 0 });
        assert.deepEqual(
          (await domain.query({}, { offset: 0, limit: 10 }, 'oldest-first')).entries.map((e) => e.message),
          ['m2', 'm3'],
        );
      } finally {
        await domain.store.close();
      }
    });

    test('at MaxCap or more, a pass keeps the newest MinCap; below MaxCap it removes nothing', async () => {
      const domain = await domainWith(Array.from({ length: 30 }, (_, i) => NOW - 30 + i));
      try {
        assert.deepEqual(await runRetentionPass(domain, retention({ MaxAge: '0s', MaxCap: 31, MinCap: 10 })), { removedByAge: 0, removedByCap: 0 });
        assert.deepEqual(await runRetentionPass(domain, retention({ MaxAge: '0s', MaxCap: 30, MinCap: 10 })), { removedByAge: 0, removedByCap: 20 });
        assert.deepEqual(
          (await domain.query({}, { offset: 0, limit: 100 }, 'oldest-first')).entries.map((e) => e.message),
          Array.from({ length: 10 }, (_, i) => `m${20 + i}`),
        );
      } finally {
        await domain.store.close();
      }
    });

    test('the running service caps a flood of entries on its own and counts the removals', async () => {
      const svc = await startTestSupportLogging(database(), { Retention: { Enabled: true, Interval: '50ms', MaxCap: 100, MinCap: 40, MaxAge: '0s' } });
      try {
        const base = `http://127.0.0.1:${svc.restPort}`;
        for (let batch = 0; batch < 3; batch++) {
          const body = Array.from({ length: 100 }, (_, i) => ({
            apiVersion: 'v3',
            logEntry: { originService: 'flood', logLevel: 'INFO', message: `n${batch * 100 + i}` },
          }));
          assert.equal((await fetch(`${base}/api/v3/log`, { method: 'POST', body: JSON.stringify(body) })).status, 207);
        }
        await waitFor('the store capped below MaxCap', async () => (await svc.domain.store.count({})) < 100);
        const kept = (await svc.domain.query({}, { offset: 0, limit: 100 }, 'newest-first')).entries;
        assert.equal(kept[0].message, 'n299', 'the newest entry is kept');
        const metrics = await (await fetch(`${base}/metrics`)).text();
        assert.match(metrics, /^support_logging_entries_removed_total\{reason="cap",service="support-logging"\} [1-9]\d*$/m);
      } finally {
        await svc.stop();
      }
    });
  });
}
