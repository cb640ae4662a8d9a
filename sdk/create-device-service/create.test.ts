/** The starter's output from the repository's template: a project that stands on its own. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createDeviceService } from './index.js';

const templateDir = fileURLToPath(new URL('../../examples/device-template/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'create-device-service-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('createDeviceService', () => {
  const created = createDeviceService({ name: '@acme/device-foo', directory: join(work, 'foo'), templateDir, sdkVersion: '1.2.3' });
  const read = (path: string) => readFileSync(join(created.directory, path), 'utf8');

  it('names the package and the service after the argument', () => {
    assert.equal(created.serviceName, 'device-foo');
    const pkg = JSON.parse(read('package.json'));
    assert.equal(pkg.name, '@acme/device-foo');
    assert.deepEqual(pkg.bin, { 'device-foo': './dist/main.js' });
    assert.match(read('src/index.ts'), /export const SERVICE_NAME = "device-foo";/);
  });

  it('depends on the SDK packages at the starter version and on nothing in the repository', () => {
    const pkg = JSON.parse(read('package.json'));
    assert.deepEqual(pkg.dependencies, { '@edgex-ts/contracts': '^1.2.3', '@edgex-ts/device-sdk': '^1.2.3' });
    assert.equal(pkg.devDependencies['@edgex-ts/testing'], '^1.2.3');
    assert.ok(pkg.devDependencies.typescript && pkg.devDependencies['@types/node']);
    const tsconfig = JSON.parse(read('tsconfig.json'));
    assert.equal(tsconfig.extends, undefined);
    assert.equal(tsconfig.references, undefined);
    for (const file of ['package.json', 'tsconfig.json', 'src/index.ts', 'src/driver.test.ts', 'src/all-in-one.e2e.ts']) {
      assert.doesNotMatch(read(file), /\.\.\/\.\.\/|test\/helpers|@edgex-ts\/source|file:/, file);
    }
  });

  it('brings the template driver (under 100 lines), its tests, res/ files and a README', () => {
    assert.ok(read('src/driver.ts').split('\n').length < 100);
    assert.match(read('src/driver.test.ts'), /@edgex-ts\/testing/);
    assert.match(read('res/profiles/line-thermostat.yaml'), /name: Line-Thermostat/);
    assert.match(read('README.md'), /^# @acme\/device-foo/);
  });

  it('refuses a folder that is not empty, and a name npm would refuse', () => {
    const busy = join(work, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    assert.throws(() => createDeviceService({ name: 'busy', directory: busy, templateDir, sdkVersion: '1.2.3' }), /busy exists and is not empty/);
    assert.equal(readFileSync(join(busy, 'keep.txt'), 'utf8'), 'mine');
    assert.throws(
      () => createDeviceService({ name: 'My Service', directory: join(work, 'x'), templateDir, sdkVersion: '1.2.3' }),
      /name "My Service": expected an npm package name/,
    );
  });
});
