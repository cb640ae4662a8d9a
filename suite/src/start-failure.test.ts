// Every service's process, and the all-in-one's, starts through runMain: one that cannot start says so in the
// same one line (`<service>: could not start: <message>`) and exits 1, whichever service it is.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = [
  'core-metadata',
  'core-data',
  'core-command',
  'device-virtual',
  'device-modbus',
  'device-snmp',
  'device-mqtt',
  'support-logging',
  'support-notifications',
  'support-scheduler',
];

/** Runs an entry point from the TypeScript sources with `env` added; resolves with its exit code and stderr. */
async function run(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@edgex-ts/source', '--import', 'tsx', entry], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stderr };
}

for (const service of SERVICES) {
  test(`${service} with a bad setting prints one start-failure line and exits 1`, async () => {
    const { code, stderr } = await run(`services/${service}/src/main.ts`, { SERVICE_PORT: 'abc' });
    assert.equal(stderr, `${service}: could not start: config: Service.Port = "abc" (from env SERVICE_PORT): expected a number\n`);
    assert.equal(code, 1);
  });
}

test('the all-in-one with a bad setting prints the same line and exits 1', async () => {
  const { code, stderr } = await run('suite/all-in-one.ts', { EDGEX_BROKER_PORT: 'x' });
  assert.equal(stderr, 'edgex-ts: could not start: EDGEX_BROKER_PORT = "x": expected a port number (0-65535)\n');
  assert.equal(code, 1);
});
