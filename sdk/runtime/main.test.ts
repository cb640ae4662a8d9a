// runMain is what every service's process runs (services/*/src/main.ts and the all-in-one): these tests run it in a
// child process, as a user's shell or container runtime does, and look at what it prints and how it exits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { test } from 'node:test';
import { waitFor } from '../../test/helpers/wait.js';

/**
 * A child whose start function says "starting" on stdout and resolves when a line comes on stdin (so a test can
 * signal it while it starts), or fails at once with `failure` (an expression). Once started it keeps the process
 * alive, as a service's servers do, until stop(), which says "stopped".
 */
function child(opts: { failure?: string; stopFails?: boolean } = {}) {
  const code = `
const { runMain } = await import('@edgex-ts/runtime');
const { EdgeXError } = await import('@edgex-ts/contracts');
await runMain('svc', async () => {
  console.log('starting');
  ${opts.failure ? `throw ${opts.failure};` : ''}
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const server = setInterval(() => {}, 1 << 30); // what keeps a real service's process alive: its servers
  console.log('started');
  return { stop: async () => { clearInterval(server); console.log('stopped'); ${opts.stopFails ? "throw new Error('store would not close');" : ''} } };
});
`;
  const proc = spawn(process.execPath, ['--conditions=@edgex-ts/source', '--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  return {
    proc,
    exited,
    out: () => out,
    err: () => err,
    saw: (what: string, text: () => string) =>
      waitFor(`child to print ${what} (stdout: ${out} stderr: ${err})`, () => text().includes(what), { timeoutMs: 20_000 }),
    finishStart: () => proc.stdin.write('go\n'),
  };
}

test('a service that cannot start prints one line naming it, the message and the error kind, and exits 1', async () => {
  const c = child({ failure: "new EdgeXError('ServiceUnavailable', 'cannot listen for REST on 0.0.0.0:59880 (Service.Port): port 59880 is already in use')" });
  assert.equal(await c.exited, 1);
  assert.equal(c.err(), 'svc: could not start: cannot listen for REST on 0.0.0.0:59880 (Service.Port): port 59880 is already in use (ServiceUnavailable)\n');
});

test('the kind is found through a wrapping error; an error without one is printed without', async () => {
  const wrapped = child({ failure: "new Error('store: cannot open', { cause: new EdgeXError('Database', 'disk full') })" });
  const plain = child({ failure: 'new Error(\'config: Service.Port = "abc" (from env SERVICE_PORT): expected a number\')' });
  assert.equal(await wrapped.exited, 1);
  assert.equal(wrapped.err(), 'svc: could not start: store: cannot open (Database)\n');
  assert.equal(await plain.exited, 1);
  assert.equal(plain.err(), 'svc: could not start: config: Service.Port = "abc" (from env SERVICE_PORT): expected a number\n');
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} stops a started service and exits 0`, async () => {
    const c = child();
    await c.saw('starting', c.out);
    c.finishStart();
    await c.saw('started', c.out);
    c.proc.kill(signal);
    assert.equal(await c.exited, 0);
    assert.ok(c.out().includes('stopped'), c.out());
    assert.equal(c.err(), `svc: ${signal} received, stopping\n`);
  });
}

test('a signal while starting is held: the service is stopped cleanly once it is up', async () => {
  const c = child();
  await c.saw('starting', c.out);
  c.proc.kill('SIGTERM');
  await c.saw('SIGTERM received while starting', c.err);
  c.finishStart();
  assert.equal(await c.exited, 0);
  assert.match(c.out(), /started\n[^]*stopped\n/);
});

test('a second signal while starting exits at once with 128 + the signal number', async () => {
  const c = child();
  await c.saw('starting', c.out);
  c.proc.kill('SIGTERM');
  await c.saw('SIGTERM received while starting', c.err);
  c.proc.kill('SIGINT');
  assert.equal(await c.exited, 128 + constants.signals.SIGINT);
  assert.ok(!c.out().includes('started'), c.out());
  assert.match(c.err(), /svc: SIGINT again, exiting without a clean stop\n$/);
});

test('a stop that fails exits 1 and says why', async () => {
  const c = child({ stopFails: true });
  await c.saw('starting', c.out);
  c.finishStart();
  await c.saw('started', c.out);
  c.proc.kill('SIGTERM');
  assert.equal(await c.exited, 1);
  assert.match(c.err(), /svc: could not stop cleanly: store would not close\n$/);
});
