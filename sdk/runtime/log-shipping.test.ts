import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { logLineToEntry, MAX_SHIPPED_LINE_CHARS, LogShipper } from './log-shipping.js';
import { loggingSectionSchema } from './config-schema.js';

test('a pino line becomes an EdgeX LogEntry: msg, time, service, level, and every other field as key/value args', () => {
  const line = JSON.stringify({ level: 40, time: 1_700_000_000_123, pid: 1, hostname: 'h', service: 'core-data', msg: 'slow commit', ms: 250, device: 'D1' });
  const e = logLineToEntry(line, 'fallback');
  assert.deepEqual(
    { ...e, id: undefined },
    {
      id: undefined,
      originService: 'core-data',
      logLevel: 'WARN',
      message: 'slow commit',
      args: ['ms', 250, 'device', 'D1'],
      created: 1_700_000_000_123,
    },
  );
  assert.equal(logLineToEntry(JSON.stringify({ level: 60, msg: 'fatal' }), 's').logLevel, 'ERROR');
  assert.equal(logLineToEntry(JSON.stringify({ level: 10, msg: 't' }), 's').logLevel, 'TRACE');
  assert.equal(logLineToEntry(JSON.stringify({ level: 20, msg: 'd' }), 's').originService, 's', 'a line without service is the shipper’s');
});

test('a line that is not JSON (e.g. cut at MAX_SHIPPED_LINE_CHARS) is shipped as its text', () => {
  const e = logLineToEntry('{"level":30,"msg":"cut her', 'svc', 42);
  assert.deepEqual(
    { ...e, id: undefined },
    { id: undefined, originService: 'svc', logLevel: 'INFO', message: '{"level":30,"msg":"cut her', args: [], created: 42 },
  );
  assert.ok(MAX_SHIPPED_LINE_CHARS >= 16 * 1024);
});

test('write() never throws, keeps at most RemoteBufferSize lines and counts what it drops (nothing sent before start)', () => {
  const diagnostics = pino({ level: 'silent' });
  const shipper = new LogShipper({
    service: 'svc',
    settings: loggingSectionSchema.parse({ EnableRemoteLogging: true, RemoteBufferSize: 10, RemoteBatchSize: 5 }),
    target: () => Promise.reject(new Error('never asked')),
    diagnostics,
  });
  const log = pino({ level: 'info' }, pino.multistream([{ level: 'trace', stream: shipper }]));
  for (let i = 0; i < 25; i++) log.info(`line ${i}`);
  assert.equal(shipper.buffered, 10);
  assert.equal(shipper.droppedLines, 15);
});
