import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { logLineToEntry, MAX_SHIPPED_LINE_CHARS, LogShipper } from './log-shipping.js';
import { loggingSectionSchema } from './config-schema.js';
import { waitFor } from '../../test/helpers/wait.js';

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

test('against a receiver that never answers: log calls go on, the buffer stays bounded while a batch hangs, the POST times out', async () => {
  const requests: IncomingMessage[] = [];
  const server = createServer((req) => void requests.push(req)); // reads the request, never answers
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const diagnostics: string[] = [];
  const shipper = new LogShipper({
    service: 'svc',
    settings: loggingSectionSchema.parse({
      EnableRemoteLogging: true,
      RemoteBufferSize: 5,
      RemoteBatchSize: 5,
      RemoteFlushInterval: '10ms',
      RemoteTimeout: '300ms',
    }),
    target: async () => `http://127.0.0.1:${port}`,
    diagnostics: pino({ level: 'info' }, { write: (line: string) => void diagnostics.push(line) }),
  });
  const log = pino({ level: 'info' }, pino.multistream([{ level: 'trace', stream: shipper }]));
  try {
    shipper.start();
    for (let i = 0; i < 5; i++) log.info(`line ${i}`);
    await waitFor('the batch on its way', () => requests.length === 1);
    for (let i = 5; i < 8; i++) log.info(`line ${i}`);
    assert.equal(shipper.buffered, 5, 'the batch on its way is the whole buffer: the new lines are the ones dropped');
    assert.equal(shipper.droppedLines, 3);
    await waitFor('the timed-out POST reported on stdout', () => diagnostics.some((l) => l.includes('cannot reach support-logging')));
    assert.equal(shipper.buffered, 5, 'a timed-out batch is kept for the next attempt');
  } finally {
    server.closeAllConnections();
    server.close();
    await shipper.close();
  }
});

test('a target that refuses every batch (404: a wrong Clients.support-logging): lines dropped and counted, one line on stdout, not resent', async () => {
  let posts = 0;
  const server = createServer((_req, res) => {
    posts++;
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const diagnostics: string[] = [];
  const shipper = new LogShipper({
    service: 'svc',
    settings: loggingSectionSchema.parse({ EnableRemoteLogging: true, RemoteBufferSize: 100, RemoteBatchSize: 2, RemoteFlushInterval: '10ms' }),
    target: async () => `http://127.0.0.1:${port}`,
    diagnostics: pino({ level: 'info' }, { write: (line: string) => void diagnostics.push(line) }),
  });
  const log = pino({ level: 'info' }, pino.multistream([{ level: 'trace', stream: shipper }]));
  try {
    shipper.start();
    for (let i = 0; i < 6; i++) log.info(`line ${i}`);
    await waitFor('every line refused', () => shipper.droppedLines === 6);
    assert.equal(posts, 3, 'each batch sent once');
    assert.equal(shipper.buffered, 0);
    assert.equal(diagnostics.filter((l) => l.includes('refused')).length, 1);
  } finally {
    server.close();
    await shipper.close();
  }
});
