#!/usr/bin/env node
// Runs the *.test.ts files under sdk/, services/, examples/, suite/ and test/ (or the files and folders given)
// with node's test runner on the TypeScript sources.
//   node scripts/run-tests.mjs [--unit] [--list] [path ...]
//   --unit  only the unit tier: tests that need no server (npm run test:unit)
//   --list  print each file's tier and why, run nothing
// The tier of a file follows from the file itself: test-tiers.mjs, docs/testing.md.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { testTiers } from './test-tiers.mjs';

const root = resolve(import.meta.dirname, '..');

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const listOnly = args.includes('--list');
const unknown = args.filter((a) => a.startsWith('--') && a !== '--unit' && a !== '--list');
if (unknown.length) {
  console.error(`run-tests: unknown option ${unknown.join(' ')} (usage: node scripts/run-tests.mjs [--unit] [--list] [path ...])`);
  process.exit(2);
}
const paths = args.filter((a) => !a.startsWith('--'));
const roots = paths.length ? paths : ['sdk', 'services', 'examples', 'suite', 'test'];
const skip = new Set(['node_modules', 'dist', 'gen', 'data']);

function collect(path, out) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return out;
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path)) {
    if (!skip.has(name) && !name.startsWith('.')) collect(join(path, name), out);
  }
  return out;
}

// ---- run --------------------------------------------------------------------------------------

const found = roots.flatMap((r) => collect(resolve(r), [])).sort();
if (found.length === 0) {
  console.error('run-tests: no test files found under', roots.join(', '));
  process.exit(1);
}
const tierOf = testTiers(root);
const tiers = new Map(found.map((f) => [f, tierOf(f)]));
const files = unitOnly ? found.filter((f) => tiers.get(f).tier === 'unit') : found;
if (listOnly) {
  for (const file of files) console.log(`${tiers.get(file).tier.padEnd(11)} ${relative(root, file)}  (${tiers.get(file).why})`);
  process.exit(0);
}
if (files.length === 0) {
  console.error(`run-tests: no unit tests under ${roots.join(', ')} (node scripts/run-tests.mjs --list shows each file's tier)`);
  process.exit(1);
}
console.log(`run-tests: ${files.length} test files${unitOnly ? ` (unit tier; ${found.length - files.length} integration files left out)` : ''}`);
// Unit tests share nothing (ephemeral ports, temporary folders): one file per core at a time. The full run keeps
// node's default (one fewer), which leaves a core to the servers the integration tests start.
const concurrency = unitOnly ? [`--test-concurrency=${availableParallelism()}`] : [];
const result = spawnSync(
  process.execPath,
  ['--conditions=@edgex-ts/source', '--import', 'tsx', '--test', '--test-reporter=spec', ...concurrency, ...files.map((f) => relative(process.cwd(), f))],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
