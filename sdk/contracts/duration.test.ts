import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from './duration.js';

test('parseDuration reads Go durations into milliseconds', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('2us'), 0.002);
  assert.equal(parseDuration('2µs'), 0.002);
  assert.equal(parseDuration('1500ns'), 0.0015);
  assert.equal(parseDuration('-2s'), -2000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('1h2m3s4ms'), 3_723_004);
});

test('parseDuration rejects what Go rejects', () => {
  for (const bad of ['', '10', 's', '1x', '1.5.5s', 'ten seconds', '1s ', '-', '.s']) {
    assert.throws(() => parseDuration(bad), /invalid duration/, bad);
  }
});
