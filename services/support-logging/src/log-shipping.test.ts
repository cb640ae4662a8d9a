// The runtime's log shipper (sdk/runtime/log-shipping.ts) against a real support-logging: delivery, buffering
// while support-logging is down (bounded, oldest dropped and counted), delivery and the lost-lines report after
// it returns, and the flush at stop.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LogShipper, loggingSectionSchema } from '@edgex-ts/runtime';
import type { LogEntry } from '@edgex-ts/contracts';
import { pino } from 'pino';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { sqliteDatabases } from '../../../test/helpers/sqlite-databases.js';
import { startTestSupportLogging } from './test-support/start.js';
import type { SupportLoggingHandle } from './index.js';

const sqlite = sqliteDatabases('support-logging-shipping');

describe('log shipping to a real support-logging', () => {
  const database = sqlite();
  let port = 0;
  let svc: SupportLoggingHandle | undefined;
  before(async () => {
    port = await freePort();
    svc = await startTestSupportLogging(database, { Retention: { Enabled: false } }, port);
  });
  after(() => svc?.stop());

  /** A shipper as the runtime makes one, with small settings; its own troubles are collected in `diagnostics`. */
  const newShipper = (service: string, settings: Record<string, unknown>) => {
    const diagnostics: string[] = [];
    const shipper = new LogShipper({
      service,
      settings: loggingSectionSchema.parse({ EnableRemoteLogging: true, RemoteFlushInterval: '20ms', RemoteMaxRetryInterval: '100ms', ...settings }),
      target: async () => `http://127.0.0.1:${port}`,
      diagnostics: pino({ level: 'info' }, { write: (line: string) => void diagnostics.push(line) }),
      random: () => 0,
    });
    const log = pino({ level: 'debug', base: { service } }, pino.multistream([{ level: 'trace', stream: shipper }]));
    shipper.start();
    return { shipper, log, diagnostics };
  };
  const entriesOf = async (service: string): Promise<LogEntry[]> =>
    (await svc!.domain.query({ originServices: [service] }, { offset: 0, limit: 1000 }, 'oldest-first')).entries;

  test('lines arrive with their level, message, fields as args, and time', async () => {
    const { shipper, log } = newShipper('shipper-a', {});
    try {
      const before = Date.now();
      log.info({ device: 'D1', count: 3 }, 'reading stored');
      log.debug('detail');
      log.error({ err: new Error('disk full') }, 'commit failed');
      const entries = await waitFor('3 entries in support-logging', async () => {
        const e = await entriesOf('shipper-a');
        return e.length === 3 && e;
      });
      assert.deepEqual(
        entries.map((e) => [e.logLevel, e.message]),
        [
          ['INFO', 'reading stored'],
          ['DEBUG', 'detail'],
          ['ERROR', 'commit failed'],
        ],
      );
      assert.deepEqual(entries[0].args, ['device', 'D1', 'count', 3]);
      assert.equal((entries[2].args[1] as { message: string }).message, 'disk full');
      assert.ok(entries.every((e) => e.created >= before && e.created <= Date.now()));
      await waitFor('the shipper counting them as shipped', () => shipper.shippedLines === 3);
    } finally {
      await shipper.close();
    }
  });

  test('while support-logging is down: at most RemoteBufferSize lines kept, the oldest dropped and counted; after it returns the rest arrive with a WARN entry counting the loss', async () => {
    const { shipper, log, diagnostics } = newShipper('shipper-b', { RemoteBufferSize: 50, RemoteBatchSize: 10 });
    try {
      log.info('before the outage');
      await waitFor('the first line delivered', () => shipper.shippedLines === 1);
      await svc!.stop();
      svc = undefined;
      for (let i = 0; i < 200; i++) log.info({ seq: i }, `during the outage ${i}`);
      assert.equal(shipper.buffered, 50);
      assert.equal(shipper.droppedLines, 150);
      await waitFor('the shipper noticing support-logging is down', () => diagnostics.some((l) => l.includes('cannot reach support-logging')));
      assert.equal(shipper.buffered, 50, 'failed sends keep the lines');

      svc = await startTestSupportLogging(database, { Retention: { Enabled: false } }, port);
      const entries = await waitFor('the buffered lines and the loss report delivered', async () => {
        const e = await entriesOf('shipper-b');
        return e.length === 52 && e;
      });
      const outage = entries.filter((e) => e.message.startsWith('during the outage'));
      assert.deepEqual(
        outage.map((e) => e.message),
        Array.from({ length: 50 }, (_, i) => `during the outage ${150 + i}`),
        'the newest 50 lines survive, in order',
      );
      const report = entries.find((e) => e.logLevel === 'WARN');
      assert.ok(report, 'a WARN entry reports the loss');
      assert.match(report.message, /150 log lines of shipper-b were dropped/);
      assert.deepEqual(report.args, ['droppedLines', 150]);
      await waitFor('the shipper saying on stdout that support-logging is back', () => diagnostics.some((l) => l.includes('reachable again')));
      assert.equal(shipper.buffered, 0);
    } finally {
      await shipper.close();
    }
  });

  test('stop sends what is still buffered', async () => {
    const { shipper, log } = newShipper('shipper-c', { RemoteFlushInterval: '1h' });
    log.warn('last words');
    log.info('and more');
    await shipper.close();
    assert.deepEqual(
      (await entriesOf('shipper-c')).map((e) => e.message),
      ['last words', 'and more'],
    );
    log.info('after close');
    assert.equal(shipper.buffered, 0, 'lines written after close are not kept');
  });
});
