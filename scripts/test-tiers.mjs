// Which tier a test file is in (docs/testing.md), decided from the file itself so it cannot drift from a list:
//   integration: under test/, named *.int.test.ts, or importing a server helper or node:child_process
//                (SERVER_HELPER_NAMES), directly or through any module it imports (relative paths and @edgex-ts/*
//                workspace packages);
//   unit:        every other test.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** node's module for starting processes: a test that imports it runs other programs. */
const CHILD_PROCESS = 'node:child_process';

/** Helpers of test/helpers/ that start a real server or an outside program. */
export const SERVER_HELPER_NAMES = [
  'mosquitto',
  'consul',
  'ferretdb',
  'docker',
  'pymodbus',
  'snmpd',
  'device-simple',
  'edgex-go',
  'core-services',
  'server-binary',
  'process',
];

/** A classifier for the test files of the repository at `root`: tierOf(file) → { tier: 'unit' | 'integration', why }. */
export function testTiers(root) {
  const serverHelpers = new Set([...SERVER_HELPER_NAMES.map((name) => join(root, 'test', 'helpers', `${name}.ts`)), CHILD_PROCESS]);

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
        if (serverHelpers.has(next)) return [...chain, next];
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

  return tierOf;
}
