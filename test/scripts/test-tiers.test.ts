// The tier of a test file (scripts/test-tiers.mjs, docs/testing.md): what `npm run test:unit` runs follows from
// each file's imports, so a test that starts a server cannot slip into the tier that needs none.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { testTiers } from '../../scripts/test-tiers.mjs';

/** A small repository: test helpers, a service with a test-support harness, a workspace package. */
const root = mkdtempSync(join(tmpdir(), 'edgex-tiers-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

write('test/helpers/mosquitto.ts', "import { spawn } from 'node:child_process';\nexport const startMosquitto = () => spawn('mosquitto');\n");
write('test/helpers/wait.ts', 'export const waitFor = () => undefined;\n');
write('services/svc/src/test-support/harness.ts', "export { startMosquitto } from '../../../../test/helpers/mosquitto.js';\n");
write('services/svc/src/domain.ts', "export * from './values.js';\n");
write('services/svc/src/values.ts', 'export const one = 1;\n');
write('sdk/kit/package.json', JSON.stringify({ name: '@edgex-ts/kit', exports: { '.': { '@edgex-ts/source': './index.ts', default: './dist/index.js' } } }));
write(
  'sdk/kit/index.ts',
  "import type { Server } from 'node:net';\nexport { startMosquitto } from '../../test/helpers/mosquitto.js';\nexport type { Server };\n",
);
mkdirSync(join(root, 'node_modules', '@edgex-ts'), { recursive: true });
symlinkSync(join(root, 'sdk', 'kit'), join(root, 'node_modules', '@edgex-ts', 'kit'));

const tierOf = testTiers(root);

test('a test that imports no server helper and starts no process is a unit test', () => {
  const file = write(
    'services/svc/src/domain.test.ts',
    "import { one } from './domain.js';\nimport { waitFor } from '../../../test/helpers/wait.js';\nimport { z } from 'zod';\n",
  );
  assert.deepEqual(tierOf(file), { tier: 'unit', why: 'imports no server helper, starts no process' });
});

test('a server helper reached directly, through a harness, or through a workspace package makes an integration test, and the chain is named', () => {
  const direct = write('services/svc/src/bus.test.ts', "import { startMosquitto } from '../../../test/helpers/mosquitto.js';\n");
  assert.deepEqual(tierOf(direct), { tier: 'integration', why: 'imports test/helpers/mosquitto.ts' });

  const harness = write('services/svc/src/rest.test.ts', "import { one } from './domain.js';\nconst h = await import('./test-support/harness.js');\n");
  assert.deepEqual(tierOf(harness), {
    tier: 'integration',
    why: 'imports services/svc/src/test-support/harness.ts → test/helpers/mosquitto.ts',
  });

  const viaPackage = write('services/svc/src/kit.test.ts', "import { startMosquitto } from '@edgex-ts/kit';\n");
  assert.deepEqual(tierOf(viaPackage), { tier: 'integration', why: 'imports sdk/kit/index.ts → test/helpers/mosquitto.ts' });
});

test('a test that starts processes itself is an integration test', () => {
  const file = write('sdk/runtime-like/signals.test.ts', "import { spawn } from 'node:child_process';\n");
  assert.deepEqual(tierOf(file), { tier: 'integration', why: 'imports node:child_process' });
});

test('cross-service tests under test/ and files named *.int.test.ts are integration tests whatever they import', () => {
  assert.deepEqual(tierOf(write('test/deploy/manifests.test.ts', "import { z } from 'zod';\n")), { tier: 'integration', why: 'under test/' });
  assert.deepEqual(tierOf(write('services/svc/src/peer.int.test.ts', "import { one } from './domain.js';\n")), {
    tier: 'integration',
    why: 'named *.int.test.ts',
  });
});
