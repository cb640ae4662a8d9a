import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { test } from 'node:test';
import { freePorts } from '../../test/helpers/ports.js';
import { PortReservations } from './port-reservations.js';

test('reserved ports are bound until released; an early client is reset and does not hold the release up', { timeout: 20_000 }, async () => {
  const [a, b] = await freePorts(2);
  assert.ok(a && b);
  const reservations = await PortReservations.hold([a, b], '0.0.0.0');
  const taken = createServer();
  await assert.rejects(new Promise((resolve, reject) => taken.once('error', reject).listen(a, '0.0.0.0', () => resolve(undefined))), { code: 'EADDRINUSE' });

  // A client polling the port before its service is up (kept open on its side).
  const early = connect(a, '127.0.0.1');
  early.on('error', () => undefined);
  const ended = new Promise((resolve) => early.once('close', resolve));
  await ended;

  await reservations.release(a);
  const service = createServer();
  await new Promise<void>((resolve, reject) => service.once('error', reject).listen(a, '0.0.0.0', () => resolve()));
  await new Promise((resolve) => service.close(resolve));
  await reservations.releaseAll();
  const other = createServer();
  await new Promise<void>((resolve, reject) => other.once('error', reject).listen(b, '0.0.0.0', () => resolve()));
  await new Promise((resolve) => other.close(resolve));
});
