#!/usr/bin/env node
// Runs the *.test.ts files under sdk/, services/, examples/, suite/ and test/ (or the files and folders given)
// with node's test runner on the TypeScript sources.
//   node scripts/run-tests.mjs [--unit] [--list] [path ...]
//   --unit  only the unit tier: tests that need no server (npm run test:unit)
//   --list  print each file's tier and why, run nothing
// The tier of a file follows from the file itself (docs/testing.md), so it cannot drift from a list:
//   integration: under test/, named *.int.test.ts, or importing a server helper or node:child_process
//                (SERVER_HELPERS), directly or through any module it imports (relative paths and @edgex-ts/*
//                workspace packages);
//   unit:        every other test.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/** Helpers that start a real server or an outside program (test/helpers/), and node's module for starting processes. */
const CHILD_PROCESS = 'node:child_process';
const SERVER_HELPERS = new Set([
  ...['mosquitto', 'consul', 'ferretdb', 'docker', 'pymodbus', 'snmpd', 'device-simple', 'edgex-go', 'core-services', 'server-binary', 'process'].map((name) =>
    join(root, 'test', 'helpers', `${name}.ts`),
  ),
  CHILD_PROCESS,
]);

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

// ---- tiers ------------------------------------------------------------------------------------

/** The TypeScript file an import specifier names, or undefined for a library outside the workspace. */
function resolveImport(from, specifier) {
  if (specifier === CHILD_PROCESS || specifier === 'child_process') return CHILD_PROCESS;
  if (specifier.startsWith('.')) return sourceFile(resolve(dirname(from), specifier));
  if (specifier.startsWith('@edgex-ts/')) return workspaceEntry(specifier);
  return undefined;
}

function sourceFile(path) {
  const candidates = path.endsWith('.js') ? [path.slice(0, -3) + '.ts', path.slice(0, -3) + '.tsx', path] : [path, `${path}.ts`, join(path, 'index.ts')];
  return candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
}

/** `@edgex-ts/<name>[/sub]` through the workspace link in node_modules and the source condition of its exports. */
function workspaceEntry(specifier) {
  const [scope, name, ...rest] = specifier.split('/');
  let dir;
  try {
    dir = realpathSync(join(root, 'node_modules', scope, name));
  } catch {
    return undefined;
  }
  if (!dir.startsWith(root + sep) || dir.includes(`${sep}node_modules${sep}`)) return undefined;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.[rest.length ? `./${rest.join('/')}` : '.'];
  const target = typeof entry === 'string' ? entry : (entry?.['@edgex-ts/source'] ?? entry?.default);
  return typeof target === 'string' ? sourceFile(join(dir, target)) : undefined;
}

const importsOf = new Map();
function imports(file) {
  let list = importsOf.get(file);
  if (!list) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    list = importedFiles.map((f) => resolveImport(file, f.fileName)).filter((f) => f !== undefined);
    importsOf.set(file, list);
  }
  return list;
}

/** The import chain from `file` to the first server helper it reaches, or undefined when it reaches none. */
function serverHelperChain(file) {
  const seen = new Set([file]);
  const queue = [[file]];
  while (queue.length) {
    const chain = queue.shift();
    for (const next of imports(chain[chain.length - 1])) {
      if (SERVER_HELPERS.has(next)) return [...chain, next];
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([...chain, next]);
    }
  }
  return undefined;
}

/** { tier: 'unit' | 'integration', why } for one test file. */
function tierOf(file) {
  const rel = relative(root, file);
  if (rel.startsWith(`test${sep}`)) return { tier: 'integration', why: 'under test/' };
  if (rel.endsWith('.int.test.ts')) return { tier: 'integration', why: 'named *.int.test.ts' };
  const chain = serverHelperChain(file);
  if (chain)
    return {
      tier: 'integration',
      why: `imports ${chain
        .slice(1)
        .map((f) => (f === CHILD_PROCESS ? f : relative(root, f)))
        .join(' → ')}`,
    };
  return { tier: 'unit', why: 'imports no server helper, starts no process' };
}

// ---- run --------------------------------------------------------------------------------------

const found = roots.flatMap((r) => collect(resolve(r), [])).sort();
if (found.length === 0) {
  console.error('run-tests: no test files found under', roots.join(', '));
  process.exit(1);
}
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
