// support-logging's gRPC service through its real port (SQLite): add, query, delete by age, and INVALID_ARGUMENT
// naming the field. (Health and reflection come from the runtime, tested there.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { SupportLoggingServiceClient, supportloggingV1 as pb } from '@edgex-ts/contracts';
import { unaryCall } from '../../../../test/helpers/grpc.js';
import { sqliteDatabases } from '../../../../test/helpers/sqlite-databases.js';
import { startTestSupportLogging } from '../test-support/start.js';
import type { SupportLoggingHandle } from '../index.js';

const sqlite = sqliteDatabases('support-logging-grpc');

describe('support-logging gRPC', () => {
  let svc: SupportLoggingHandle;
  let client: SupportLoggingServiceClient;
  before(async () => {
    svc = await startTestSupportLogging(sqlite(), { Retention: { Enabled: false } });
    client = new SupportLoggingServiceClient(`127.0.0.1:${svc.grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await svc?.stop();
  });

  const entry = (fields: Partial<pb.LogEntry>): pb.LogEntry => pb.LogEntry.fromPartial({ originService: 'svc', logLevel: 'INFO', ...fields });

  test('AddLogEntries stores a batch; QueryLogEntries filters, pages newest first and counts', async () => {
    const added = await unaryCall(client, client.addLogEntries, {
      entries: [
        entry({ message: 'first', created: 1000n, args: ['device', 'D1', 'n', 2] }),
        entry({ message: 'second', logLevel: 'ERROR', created: 2000n }),
        entry({ message: 'third', originService: 'other', created: 3000n }),
      ],
    });
    assert.equal(added.added, 3);
    const all = await unaryCall(client, client.queryLogEntries, pb.QueryLogEntriesRequest.fromPartial({ page: { offset: 0, limit: 10 } }));
    assert.equal(all.totalCount, 3);
    assert.deepEqual(
      all.entries.map((e) => e.message),
      ['third', 'second', 'first'],
    );
    assert.deepEqual(all.entries[2].args, ['device', 'D1', 'n', 2]);
    assert.equal(all.entries[2].created, 1000n);
    const filtered = await unaryCall(
      client,
      client.queryLogEntries,
      pb.QueryLogEntriesRequest.fromPartial({ originServices: ['svc'], keywords: ['D1', 'second'], start: 1000n, end: 2000n, logLevels: ['INFO'] }),
    );
    assert.deepEqual(
      filtered.entries.map((e) => e.message),
      ['first'],
    );
  });

  test('bad requests are INVALID_ARGUMENT naming the field', async () => {
    const refused = async (p: Promise<unknown>, details: RegExp) =>
      assert.rejects(p, (err: grpc.ServiceError) => err.code === grpc.status.INVALID_ARGUMENT && details.test(err.details));
    await refused(unaryCall(client, client.addLogEntries, { entries: [entry({ logLevel: 'LOUD' })] }), /^entries\[0\]\.logLevel: expected one of/);
    await refused(unaryCall(client, client.addLogEntries, { entries: [entry({ originService: '' })] }), /^entries\[0\]\.originService: must not be blank/);
    await refused(unaryCall(client, client.queryLogEntries, pb.QueryLogEntriesRequest.fromPartial({ logLevels: ['LOUD'] })), /^log_levels: unknown log level/);
    await refused(unaryCall(client, client.queryLogEntries, pb.QueryLogEntriesRequest.fromPartial({ start: 5n, end: 1n })), /^end: 1 is before start 5/);
    await refused(unaryCall(client, client.deleteLogEntriesByAge, { ageMs: -1n }), /^age_ms: /);
  });

  test('DeleteLogEntriesByAge removes the old entries', async () => {
    await unaryCall(client, client.addLogEntries, { entries: [entry({ message: 'just now' })] });
    const { removed } = await unaryCall(client, client.deleteLogEntriesByAge, { ageMs: 60_000n });
    assert.ok(removed >= 3);
    const left = await unaryCall(client, client.queryLogEntries, pb.QueryLogEntriesRequest.fromPartial({}));
    assert.deepEqual(
      left.entries.map((e) => e.message),
      ['just now'],
    );
  });
});
