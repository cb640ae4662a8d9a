// The package graph of docs/internals.md, checked on the sources: every package imports only what its
// package.json declares (so it installs and runs outside this repository), and an SDK package imports only
// packages of lower layers (no back arrows).
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

/** The SDK's layers, lowest first: a package may depend only on packages of lower layers. */
const LAYERS: readonly (readonly string[])[] = [
  ['@edgex-ts/contracts', '@edgex-ts/sqlite', '@edgex-ts/create-device-service'],
  ['@edgex-ts/runtime'],
  ['@edgex-ts/consul', '@edgex-ts/mongo', '@edgex-ts/client'],
  ['@edgex-ts/device-sdk'],
  ['@edgex-ts/testing'],
];
const layerOf = (name: string): number => LAYERS.findIndex((layer) => layer.includes(name));

interface Workspace {
  dir: string;
  name: string;
  declared: Set<string>;
  /** Every package its production sources import (bare specifiers, reduced to the package name). */
  imports: Map<string, string>;
}

function productionSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'gen', 'res', 'test-support', 'data'].includes(entry.name) || entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.(test|e2e|d)\.ts$/.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** Imports made only when running from the TypeScript sources inside this repository (never from dist/). */
const SOURCE_MODE_ONLY: Record<string, Record<string, string>> = {
  // worker-entry.ts registers tsx in a worker thread when the caller itself runs under tsx.
  '@edgex-ts/runtime': { tsx: 'source mode' },
};

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\s*\)/g;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function workspace(dir: string): Workspace {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const imports = new Map<string, string>();
  for (const file of productionSources(dir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = m[1] ?? m[2];
      if (specifier.startsWith('node:') || builtinModules.includes(packageName(specifier))) continue;
      const name = packageName(specifier);
      if (name !== pkg.name && !imports.has(name)) imports.set(name, relative(ROOT, file));
    }
  }
  return {
    dir,
    name: pkg.name,
    declared: new Set(
      [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies, SOURCE_MODE_ONLY[pkg.name]].flatMap((deps) => Object.keys(deps ?? {})),
    ),
    imports,
  };
}

const folders = (parent: string): string[] =>
  readdirSync(join(ROOT, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, parent, d.name, 'package.json')))
    .map((d) => join(ROOT, parent, d.name));

const sdk = folders('sdk').map(workspace);
const shipped = [...sdk, ...folders('services').map(workspace), ...folders('examples').map(workspace)];

describe('the package graph', () => {
  test('every SDK package has its layer', () => {
    assert.deepEqual(
      sdk.filter((w) => layerOf(w.name) < 0).map((w) => w.name),
      [],
    );
  });

  test('every package declares what its sources import (it installs outside this repository)', () => {
    const undeclared = shipped.flatMap((w) => [...w.imports].filter(([name]) => !w.declared.has(name)).map(([name, file]) => `${w.name}: ${name} (${file})`));
    assert.deepEqual(undeclared, []);
  });

  test('an SDK package imports only packages of lower layers (no back arrows)', () => {
    const backArrows = sdk.flatMap((w) =>
      [...w.imports.keys()].filter((name) => name.startsWith('@edgex-ts/') && layerOf(name) >= layerOf(w.name)).map((name) => `${w.name} → ${name}`),
    );
    assert.deepEqual(backArrows, []);
  });

  test('the runtime loads @edgex-ts/consul by name only, and the device SDK needs no storage or Consul package', () => {
    const runtime = sdk.find((w) => w.name === '@edgex-ts/runtime');
    assert.ok(runtime && !runtime.imports.has('@edgex-ts/consul') && !runtime.declared.has('@edgex-ts/consul'));
    const deviceSdk = sdk.find((w) => w.name === '@edgex-ts/device-sdk');
    const heavy = ['better-sqlite3', 'mongodb', 'consul', '@edgex-ts/sqlite', '@edgex-ts/mongo', '@edgex-ts/consul'];
    assert.deepEqual(
      [...(deviceSdk?.declared ?? [])].filter((name) => heavy.includes(name)),
      [],
    );
  });
});
