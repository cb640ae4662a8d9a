import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeXError } from '../errors.js';
import { parseDto } from './parse.js';
import { AddLogEntryRequestSchema, LogEntrySchema, logEntryV1Wire } from './log-entry.js';

test('a LogEntry from an EdgeX Go client: null args are empty, created 0 stays 0 (stamped on receipt)', () => {
  const e = parseDto(LogEntrySchema, { logLevel: 'INFO', originService: 'core-data', message: 'hello', args: null, created: 0 }, 'logEntry');
  assert.deepEqual(e, { logLevel: 'INFO', originService: 'core-data', message: 'hello', args: [], created: 0 });
});

test('a LogEntry with an unknown level or no originService is refused naming the field', () => {
  assert.throws(
    () => parseDto(LogEntrySchema, { logLevel: 'NOTICE', originService: 'x' }, 'logEntry'),
    (err: unknown) => err instanceof EdgeXError && err.kind === 'ContractInvalid' && err.message.startsWith('logEntry.logLevel: expected one of TRACE'),
  );
  assert.throws(
    () => parseDto(AddLogEntryRequestSchema, { apiVersion: 'v3', logEntry: { logLevel: 'INFO' } }, 'request[0]'),
    (err: unknown) => err instanceof EdgeXError && err.message.startsWith('request[0].logEntry.originService: is required'),
  );
  assert.throws(
    () => parseDto(LogEntrySchema, { logLevel: 'INFO', originService: 'x', created: -1 }, 'logEntry'),
    (err: unknown) => err instanceof EdgeXError && err.message.startsWith('logEntry.created: must not be negative'),
  );
  assert.throws(
    () => parseDto(LogEntrySchema, { logLevel: 'INFO', originService: 'x', id: 'i'.repeat(129) }, 'logEntry'),
    (err: unknown) => err instanceof EdgeXError && err.message.startsWith('logEntry.id: must be at most 128 characters'),
  );
});

test('the EdgeX 1.x wire form leaves empty fields and the id out, as Go omitempty does', () => {
  assert.deepEqual(logEntryV1Wire({ id: 'x', originService: 'svc', logLevel: 'WARN', message: '', args: [], created: 5 }), {
    logLevel: 'WARN',
    originService: 'svc',
    created: 5,
  });
  assert.deepEqual(logEntryV1Wire({ id: 'x', originService: 'svc', logLevel: 'INFO', message: 'm', args: ['k', 1], created: 7 }), {
    logLevel: 'INFO',
    args: ['k', 1],
    originService: 'svc',
    message: 'm',
    created: 7,
  });
});
