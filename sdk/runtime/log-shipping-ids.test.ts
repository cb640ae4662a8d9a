import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeOrderedUuid } from './log-shipping-ids.js';

test('ids made one after another sort in the order they were made, within one millisecond too', () => {
  const ids = Array.from({ length: 5000 }, () => timeOrderedUuid(1_700_000_000_000));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.match(ids[0], /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
