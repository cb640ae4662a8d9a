/**
 * Where a worker thread's module is, for `new Worker(entry, options)`. Compiled builds run the `.js` file
 * beside the caller. When running from the TypeScript sources (tests, benchmarks under tsx) a worker does not
 * inherit tsx's loader, so a small bootstrap registers it before importing the `.ts` entry.
 * `callerUrl` is the caller's `import.meta.url`; `name` the worker module's file name without extension.
 */
export function workerEntry(callerUrl: string, name: string): [string | URL, { eval?: boolean }] {
  if (!callerUrl.endsWith('.ts')) return [new URL(`./${name}.js`, callerUrl), {}];
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return [bootstrap, { eval: true }];
}
