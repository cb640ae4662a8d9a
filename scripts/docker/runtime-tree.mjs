#!/usr/bin/env node
// Stages what the container images ship, from an installed and built workspace (`npm ci && npm run build`):
//
//   <out>/app/                  the runtime tree shared by every image: package.json, the production
//                               dependencies of services/* and suite (the sdk/* packages among them) (node_modules, as npm installed them),
//                               and of each of those workspaces its package.json, dist/ (no .d.ts, no maps)
//                               and res/; healthcheck.mjs
//   <out>/images/<name>/        what differs per image: main.js (imports the service's entry point) and
//                               health.json (the REST ports the health check pings)
//   <out>/data/                 an empty folder, the services' data folder (SQLite files) in the image
//
// Images: one per folder in services/ (entry point: the package's `bin`, REST port: its `Service: { Port: N`
// default) and `all-in-one` (suite's `bin`, the REST ports of every service it runs).
//
//   node scripts/docker/runtime-tree.mjs <workspace> <out>
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const [root, out] = process.argv.slice(2).map((p) => resolve(p));
if (!root || !out) {
  console.error('usage: node scripts/docker/runtime-tree.mjs <workspace> <out>');
  process.exit(2);
}
const log = (msg) => console.error(`runtime-tree: ${msg}`);
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const errors = [];

const serviceNames = readdirSync(join(root, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'services', d.name, 'package.json')))
  .map((d) => d.name)
  .sort();
// The SDK packages (sdk/*) are shipped as the services' dependencies: npm links them into node_modules.
const workspaces = [...serviceNames.map((s) => `services/${s}`), 'suite'];

// Production dependencies of the shipped workspaces, as npm resolved them (one path per installed package).
let listed;
try {
  listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', ...workspaces.flatMap((w) => ['-w', w])], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
} catch (err) {
  console.error(`runtime-tree: npm ls found problems with the installed dependencies (run npm ci):\n${err.stderr ?? err.message}`);
  process.exit(1);
}
const packagePaths = [...new Set(listed.split('\n').filter(Boolean))].filter((p) => resolve(p) !== root);

rmSync(out, { recursive: true, force: true });
const app = join(out, 'app');
mkdirSync(app, { recursive: true });

/** Compiled output only: no declarations, source maps or build info. */
const isShippedBuildFile = (src) => !/\.(d\.ts|d\.ts\.map|js\.map|tsbuildinfo)$/.test(src);

/** A native addon's build folder is shipped as its compiled `.node` files only (no objects, archives, makefiles). */
function isShippedPackageFile(pkgDir, src) {
  const rel = relative(pkgDir, src);
  if (rel === '') return true;
  const parts = rel.split(sep);
  if (parts[0] === 'node_modules' || parts[0] === '.bin') return false; // nested packages are listed on their own
  if (parts[0] === 'build' && existsSync(join(pkgDir, 'binding.gyp'))) {
    if (parts.some((p) => p.startsWith('obj') || p === '.deps' || p === 'deps')) return false;
    return lstatSync(src).isDirectory() || src.endsWith('.node');
  }
  return true;
}

const shippedWorkspaces = new Set();
function copyWorkspace(dir) {
  const rel = relative(root, dir);
  if (shippedWorkspaces.has(rel)) return;
  shippedWorkspaces.add(rel);
  cpSync(join(dir, 'package.json'), join(app, rel, 'package.json'));
  if (existsSync(join(dir, 'dist'))) cpSync(join(dir, 'dist'), join(app, rel, 'dist'), { recursive: true, filter: isShippedBuildFile });
  else errors.push(`${rel}: no dist/ (run npm run build)`);
  if (existsSync(join(dir, 'res'))) cpSync(join(dir, 'res'), join(app, rel, 'res'), { recursive: true });
}

for (const path of packagePaths) {
  const rel = relative(root, path);
  const target = join(app, rel);
  if (lstatSync(path).isSymbolicLink()) {
    // A workspace package linked into node_modules: ship the link and the workspace it points to.
    const real = realpathSync(path);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(relative(dirname(target), join(app, relative(root, real))), target);
    copyWorkspace(real);
  } else {
    cpSync(path, target, { recursive: true, verbatimSymlinks: true, filter: (src) => isShippedPackageFile(path, src) });
  }
}
for (const w of workspaces) copyWorkspace(join(root, w));

const rootPkg = readJson(join(root, 'package.json'));
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: rootPkg.name, version: rootPkg.version, private: true, type: 'module', license: rootPkg.license }, null, 2) + '\n',
);
cpSync(new URL('./healthcheck.mjs', import.meta.url), join(app, 'healthcheck.mjs'));
mkdirSync(join(out, 'data'), { recursive: true });

/** The single `bin` of a workspace package, checked to be built. */
function entryPoint(workspace) {
  const pkg = readJson(join(root, workspace, 'package.json'));
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  if (bins.length !== 1) {
    errors.push(`${workspace}/package.json: expected exactly one "bin" entry point, found ${bins.length}`);
    return undefined;
  }
  const entry = join(workspace, bins[0]).split(sep).join('/');
  if (!existsSync(join(root, entry))) errors.push(`${workspace}: its entry point ${entry} does not exist (run npm run build)`);
  return entry;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.test.ts'))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** Fixed REST ports written in the sources as `<pattern> <number>` (0, an ephemeral port of test setups, is not one). */
function portsIn(files, pattern) {
  const ports = [];
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(pattern)) ports.push(Number(m[1]));
  return [...new Set(ports)].filter((p) => p > 0);
}

function writeImage(name, entry, ports, portVariable) {
  const dir = join(out, 'images', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), `// The ${name} image runs ${entry}.\nimport '../${entry}';\n`);
  writeFileSync(join(dir, 'health.json'), JSON.stringify({ name, ports, portVariable }, null, 2) + '\n');
}

for (const name of serviceNames) {
  const entry = entryPoint(`services/${name}`);
  const ports = portsIn(sourceFiles(join(root, 'services', name, 'src')), /Service:\s*\{\s*Port:\s*(\d+)/g);
  if (ports.length !== 1) {
    errors.push(
      `services/${name}: expected one default REST port written as \`Service: { Port: <n>\` in src/, found ${ports.length ? ports.join(', ') : 'none'}`,
    );
  }
  if (entry) writeImage(name, entry, ports.slice(0, 1), 'SERVICE_PORT');
}
const suiteEntry = entryPoint('suite');
const suitePorts = portsIn([join(root, 'suite', 'src', 'suite.ts')], /restPort:\s*(\d+)/g);
if (suitePorts.length === 0) errors.push('suite/src/suite.ts: found no `restPort: <n>` of the services it runs');
if (suiteEntry) writeImage('all-in-one', suiteEntry, suitePorts, null);

if (errors.length) {
  console.error(`runtime-tree: cannot stage the images:\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
log(`staged ${packagePaths.length} packages and ${shippedWorkspaces.size} workspaces into ${out}; images: ${[...serviceNames, 'all-in-one'].join(' ')}`);
