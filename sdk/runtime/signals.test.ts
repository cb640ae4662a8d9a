import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { waitFor } from '../../test/helpers/wait.js';

const CHILD = `
const { createServiceRuntime, loadConfig, commonConfigSchema } = await import('@edgex-ts/runtime');
const config = loadConfig({ service: 'sig', schema: commonConfigSchema, argv: [], env: {},
  overrides: { Service: { ServerBindAddr: '127.0.0.1' }, MessageBus: { Disabled: true } } });
const rt = await createServiceRuntime({ name: 'sig', config, handleSignals: true });
rt.onStop(() => console.log(JSON.stringify({ msg: 'hook ran' })));
await rt.start();
`;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} stops the service gracefully and exits 0`, async () => {
    const child = spawn(process.execPath, ['--conditions=@edgex-ts/source', '--import', 'tsx', '--input-type=module', '-e', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(`child listening (stderr: ${err})`, () => out.includes('"sig listening"'), { timeoutMs: 20_000 });
    const listening = JSON.parse(out.split('\n').find((l) => l.includes('"sig listening"'))!);
    assert.match(listening.rest, /^http:\/\/localhost:\d+$/);
    assert.match(listening.grpc, /^localhost:\d+$/);
    assert.equal(listening.service, 'sig');
    child.kill(signal);
    assert.equal(await exited, 0);
    assert.ok(out.includes('hook ran'), out);
    assert.ok(out.includes('"sig stopped"'), out);
  });
}
