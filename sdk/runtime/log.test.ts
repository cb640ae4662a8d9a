import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, pinoLevelOf, setLogLevel } from './log.js';

test('EdgeX level names map to pino; level changes at runtime; lines carry service', () => {
  assert.equal(pinoLevelOf('TRACE'), 'trace');
  assert.equal(pinoLevelOf('warn'), 'warn');
  const lines: Record<string, unknown>[] = [];
  const dest = new Writable({
    write(chunk, _e, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const log = createLogger('core-data', 'INFO', dest);
  log.debug('hidden');
  log.info('shown');
  setLogLevel(log, 'DEBUG');
  log.debug('now shown');
  setLogLevel(log, 'ERROR');
  log.warn('hidden again');
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['shown', 'now shown'],
  );
  assert.equal(lines[0].service, 'core-data');
});
