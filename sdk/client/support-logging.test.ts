// SupportLoggingClient against a real support-logging (SQLite in a temporary folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeXError } from '@edgex-ts/contracts';
import { startSupportLogging } from '@edgex-ts/support-logging';
import { pino } from 'pino';
import { SupportLoggingClient } from './index.js';

test('adds entries, queries them by service, level, keyword and time with paging, removes them by age; 400s become ContractInvalid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'client-support-logging-'));
  const svc = await startSupportLogging({
    configOverrides: { Service: { Port: 0, GrpcPort: 0, Host: '127.0.0.1' }, Database: { Path: join(dir, 'logs.db') }, Retention: { Enabled: false } },
    env: {},
    argv: [],
    log: pino({ level: 'silent' }),
  });
  try {
    const client = new SupportLoggingClient(`http://127.0.0.1:${svc.restPort}`);
    const ids = await client.addLogEntries([
      { originService: 'core-data', logLevel: 'INFO', message: 'stored', created: 1000 },
      { originService: 'core-data', logLevel: 'ERROR', message: 'failed', args: ['device', 'D1'], created: 2000 },
      { originService: 'core-command', logLevel: 'WARN', message: 'slow', created: 3000 },
    ]);
    assert.equal(ids.length, 3);
    const all = await client.queryLogEntries();
    assert.equal(all.totalCount, 3);
    assert.deepEqual(
      all.entries.map((e) => e.message),
      ['slow', 'failed', 'stored'],
    );
    assert.deepEqual(all.entries[1], { id: ids[1], originService: 'core-data', logLevel: 'ERROR', message: 'failed', args: ['device', 'D1'], created: 2000 });
    const some = await client.queryLogEntries({
      services: ['core-data'],
      levels: ['ERROR', 'INFO'],
      keywords: ['D1', 'stored'],
      start: 1000,
      end: 2000,
      limit: 1,
    });
    assert.equal(some.totalCount, 2);
    assert.deepEqual(
      some.entries.map((e) => e.message),
      ['failed'],
    );
    await assert.rejects(
      client.queryLogEntries({ start: 5, end: 1 }),
      (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && /end: 1 is before start 5/.test(err.message),
    );
    assert.equal(await client.deleteLogEntriesByAge(0), 3);
    assert.equal((await client.queryLogEntries()).totalCount, 0);
  } finally {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
