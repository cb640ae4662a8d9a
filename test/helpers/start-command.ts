import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The node flags that `npm start` (the root package.json) gives the all-in-one, so tests and
 * benchmarks run it exactly as users do.
 */
export function allInOneNodeFlags(repoRoot = process.cwd()): string[] {
  const start: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start;
  const m = /\bnode ((?:--\S+ )*)suite\/dist\/all-in-one\.js/.exec(start);
  if (!m) throw new Error(`cannot find the all-in-one launch in the start script: ${start}`);
  return m[1].split(' ').filter(Boolean);
}
