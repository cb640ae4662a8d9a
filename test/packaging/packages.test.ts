/**
 * The SDK as users get it: every sdk/ package packed with `npm pack` and served as the @edgex-ts scope of a
 * registry (everything else from the npm registry, through the machine's npm cache); in a folder outside the
 * repository, `npm init @edgex-ts/device-service my-service` as the docs give it, the project installed, built with
 * its own TypeScript and run against the all-in-one: its readings reach core-data and a command round-trips
 * through core-command; its own `npm test` passes there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { errorMessage } from '@edgex-ts/contracts';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { startNode, type RunningProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const REPO = resolve('.');
const SDK_PACKAGES = readdirSync(join(REPO, 'sdk'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(REPO, 'sdk', d.name, 'package.json')))
  .map((d) => d.name);
/** The npm name of the package in sdk/<folder>. */
const packageName = (folder: string): string => (JSON.parse(readFileSync(join(REPO, 'sdk', folder, 'package.json'), 'utf8')) as { name: string }).name;
/** Packages a device service must not pull in unless it asks for them. */
const STORAGE_AND_REGISTRY = ['better-sqlite3', 'mongodb', 'consul', '@edgex-ts/sqlite', '@edgex-ts/mongo', '@edgex-ts/consul'];

interface PackResult {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  shasum: string;
  files: { path: string }[];
}

/**
 * The @edgex-ts scope of the npm registry as it will be once the packages are published: a packument per package
 * (its manifest from the tarball) and the tarballs, served from the folder they were packed into. npm is pointed at
 * it for that scope only (`--@edgex-ts:registry`); every other package comes from the npm registry.
 */
async function startScopeRegistry(packed: PackResult[], packs: string, unpacked: string): Promise<{ url: string; close(): Promise<void> }> {
  let url = '';
  const packuments = new Map(
    packed.map((p) => {
      const manifest = JSON.parse(readFileSync(join(unpacked, p.filename, 'package', 'package.json'), 'utf8')) as Record<string, unknown>;
      const dist = () => ({ tarball: `${url}/tarballs/${p.filename}`, integrity: p.integrity, shasum: p.shasum });
      return [
        p.name,
        () => ({ name: p.name, 'dist-tags': { latest: p.version }, versions: { [p.version]: { ...manifest, _id: `${p.name}@${p.version}`, dist: dist() } } }),
      ];
    }),
  );
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname);
    const tarball = /^\/tarballs\/([^/]+\.tgz)$/.exec(path)?.[1];
    const packument = packuments.get(path.slice(1));
    if (tarball && packed.some((p) => p.filename === tarball))
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(join(packs, tarball)));
    else if (packument) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument()));
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, close: () => new Promise((resolvePromise) => server.close(() => resolvePromise())) };
}

/** Runs a command without blocking this process (the all-in-one runs in it); rejects with its output on failure. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // As a user runs it: no node flags of this run (NODE_OPTIONS), and a `node --test` in there reports as a run
    // of its own, not into this one (NODE_TEST_CONTEXT).
    const { NODE_TEST_CONTEXT: _context, NODE_OPTIONS: _options, ...inherited } = process.env;
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d) => ((stdout += d), (output += d)));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${output}`)),
    );
  });
}

/** A thermostat speaking the template's line protocol (GET/SET by name). */
function startThermostat(): Promise<{ server: Server; port: number; state: Map<string, string> }> {
  const state = new Map([
    ['temp', '215'],
    ['setpoint', '20'],
    ['heating', 'false'],
  ]);
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // a client that goes away is no failure of the device
    createInterface({ input: socket }).on('line', (line) => {
      const [verb, name, value] = line.split(' ');
      if (verb === 'GET' && state.has(name)) socket.write(`${state.get(name)}\n`);
      else if (verb === 'SET' && state.has(name) && value !== undefined) {
        state.set(name, value);
        socket.write('OK\n');
      } else socket.write(`ERR unknown request ${line}\n`);
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as { port: number }).port, state })));
}

describe('the SDK packages, installed outside the repository', () => {
  const work = mkdtempSync(join(tmpdir(), 'edgex-ts-packaging-'));
  const packs = join(work, 'packs');
  const unpacked = join(work, 'unpacked');
  const project = join(work, 'my-service');
  let packed: PackResult[];
  let registry: Awaited<ReturnType<typeof startScopeRegistry>>;
  /** npm's flag sending @edgex-ts packages to the scope registry. */
  let scope: string;

  before(async () => {
    assert.ok(!work.startsWith(REPO), `${work} must be outside the repository`);
    mkdirSync(packs);
    const out = await run('npm', ['pack', '--json', '--pack-destination', packs, ...SDK_PACKAGES.flatMap((p) => ['-w', `sdk/${p}`])], REPO);
    packed = JSON.parse(out) as PackResult[];
    for (const p of packed) {
      mkdirSync(join(unpacked, p.filename), { recursive: true });
      await run('tar', ['-xzf', join(packs, p.filename), '-C', join(unpacked, p.filename)], work);
    }
    registry = await startScopeRegistry(packed, packs, unpacked);
    scope = `--@edgex-ts:registry=${registry.url}/`;
  });
  after(async () => {
    await registry?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('every sdk package packs its build (JavaScript, types, source maps) and README, and no tests or sources', async () => {
    assert.deepEqual(packed.map((p) => p.name).sort(), SDK_PACKAGES.map(packageName).sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      for (const needed of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map'])
        assert.ok(files.includes(needed), `${p.name}: ${needed} missing`);
      // The starter's template is source on purpose: it becomes the new project's src/.
      const own = files.filter((f) => !f.startsWith('dist/template/'));
      assert.deepEqual(
        own.filter((f) => /\.test\.|(?<!\.d)\.ts$|tsbuildinfo/.test(f)),
        [],
        `${p.name}: tests or sources packed`,
      );
      // tsc never deletes what it compiled from a file since renamed or removed: such leftovers would ship too.
      const sourceDir = join(
        REPO,
        'sdk',
        SDK_PACKAGES.find((d) => packageName(d) === p.name)!,
      );
      const leftovers = own.filter((f) => /^dist\/.*\.js$/.test(f) && !existsSync(join(sourceDir, f.slice('dist/'.length).replace(/\.js$/, '.ts'))));
      assert.deepEqual(leftovers, [], `${p.name}: build output without a source (rebuild from clean: rm -r ${sourceDir}/dist && npm run build)`);
      const map = JSON.parse(readFileSync(join(unpacked, p.filename, 'package', 'dist', 'index.js.map'), 'utf8')) as { sourcesContent?: string[] };
      assert.ok(map.sourcesContent?.[0], `${p.name}: source maps carry their sources (inlineSources), which are not shipped`);
    }
  });

  it('npm init @edgex-ts/device-service makes a project that installs from the packages alone and builds with its own TypeScript', async () => {
    // --yes: npm asks before it installs an initializer (a user answers y); with no terminal to ask on it refuses.
    // A cache of its own: npm keeps the initializers it ran by name and version (<cache>/_npx) and would run an
    // earlier build of the starter. The starter has no dependencies: nothing else is fetched with it.
    await run('npm', [scope, `--cache=${join(work, 'init-cache')}`, '--yes', 'init', '@edgex-ts/device-service', 'my-service'], work);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    assert.equal(pkg.dependencies['@edgex-ts/device-sdk'], `^${packed[0].version}`);
    await run('npm', [scope, 'install', '--prefer-offline', '--no-audit', '--no-fund'], project);

    const tree = (await run('npm', ['ls', '--all', '--parseable'], project)).split('\n').filter(Boolean);
    const names = tree.slice(1).map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const production = (await run('npm', ['ls', '--all', '--parseable', '--omit=dev'], project)).split('\n').filter(Boolean).length - 1;
    console.log(`packaging: the generated device service's installed tree holds ${names.length} packages (${production} without its devDependencies)`);
    assert.deepEqual(
      names.filter((n) => STORAGE_AND_REGISTRY.includes(n)),
      [],
      'no SQLite, MongoDB or Consul packages',
    );
    assert.ok(names.includes('@edgex-ts/device-sdk') && names.includes('@edgex-ts/testing'));
    // Every package is a copy inside the project: no link into the repository (or anywhere else).
    const elsewhere = tree.filter((path) => !realpathSync(path).startsWith(realpathSync(project)));
    assert.deepEqual(elsewhere, [], 'nothing in the installed tree resolves outside the project');
    assert.doesNotMatch(readFileSync(join(project, 'package-lock.json'), 'utf8'), new RegExp(REPO.replaceAll('/', '\\/')));

    // The `@edgex-ts/source` export condition names .ts files that are not shipped: Node skips it unless asked.
    const script = "for (const p of ['@edgex-ts/device-sdk', '@edgex-ts/contracts', '@edgex-ts/testing']) console.log(import.meta.resolve(p))";
    const resolved = (await run(process.execPath, ['--input-type=module', '-e', script], project)).trim().split('\n');
    assert.equal(resolved.length, 3);
    for (const url of resolved) assert.match(url, /\/node_modules\/@edgex-ts\/[a-z-]+\/dist\/index\.js$/);
    await run('npm', ['run', 'build'], project); // TypeScript (NodeNext) takes `types`: the .d.ts beside it
    assert.ok(readdirSync(join(project, 'dist')).includes('main.js'));
    assert.ok(readFileSync(join(project, 'src', 'driver.ts'), 'utf8').split('\n').length < 100, 'the driver is under 100 lines');
  });

  it('asked to use Consul without @edgex-ts/consul installed, the service names the package to install and exits 1', async () => {
    // Registry.Type consul comes from CONSUL_HTTP_ADDR, as in compose and k8s; the runtime loads @edgex-ts/consul
    // only then, so the project runs without it until it is asked for.
    const failure = await run(process.execPath, ['dist/main.js'], project, { CONSUL_HTTP_ADDR: '127.0.0.1:1' }).then(
      () => assert.fail('the service started without the Consul package'),
      (err: unknown) => errorMessage(err),
    );
    assert.match(failure, /exited 1:/);
    assert.match(failure, /my-service: could not start: .*needs the @edgex-ts\/consul package: npm install @edgex-ts\/consul/);
  });

  describe('against the all-in-one', () => {
    let suite: Suite;
    let dataDir: string;
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'edgex-ts-packaging-data-'));
      suite = await startSuite({ ephemeralPorts: true, host: '127.0.0.1', dataDir, commonOverrides: { Writable: { LogLevel: 'ERROR' } } });
    });
    after(async () => {
      await suite?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('the built service, run as its own process: readings reach core-data, a command round-trips through core-command', async () => {
      const peer = await startThermostat();
      const devices = join(work, 'devices');
      mkdirSync(devices);
      const device = 'Packaged-Thermostat';
      writeFileSync(
        join(devices, 'devices.json'),
        JSON.stringify([
          {
            name: device,
            profileName: 'Line-Thermostat',
            protocols: { line: { Host: '127.0.0.1', Port: peer.port } },
            autoEvents: [{ interval: '1s', sourceName: 'Status' }],
          },
        ]),
      );
      const metadata = suite.endpoint('core-metadata');
      const service: RunningProcess = startNode([join(project, 'dist', 'main.js')], {
        SERVICE_HOST: '127.0.0.1',
        SERVICE_SERVERBINDADDR: '127.0.0.1',
        SERVICE_PORT: '0',
        SERVICE_GRPCPORT: '0',
        MESSAGEBUS_HOST: suite.broker.host,
        MESSAGEBUS_PORT: String(suite.broker.port),
        CLIENTS_CORE_METADATA_HOST: '127.0.0.1',
        CLIENTS_CORE_METADATA_PORT: String(metadata.restPort),
        DEVICE_DEVICESDIR: devices,
        NODE_OPTIONS: '',
      });
      try {
        const data = `${suite.endpoint('core-data').rest}/api/v3`;
        const readings = await waitFor(
          `readings of ${device} in core-data`,
          async () => {
            const body = (await (await fetch(`${data}/reading/device/name/${device}`)).json()) as { readings?: { resourceName: string; value: string }[] };
            return body.readings?.length ? body.readings : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 200 },
        ).catch((err: Error) => assert.fail(`${err.message}\n--- my-service ---\n${service.output()}`));
        assert.deepEqual(new Set(readings.map((r) => `${r.resourceName}=${r.value}`)), new Set(['Temperature=2.150000e+01', 'Heating=OFF']));

        const command = `${suite.endpoint('core-command').rest}/api/v3/device/name/${device}`;
        // Readings flow from the start; core-command knows the device once provisioning has added it to core-metadata.
        await waitFor(`${device} in core-command`, async () => (await fetch(command)).status === 200, { timeoutMs: 30_000, intervalMs: 200 });
        const put = await fetch(`${command}/SetPoint`, {
          method: 'PUT',
          body: JSON.stringify({ SetPoint: '21.5' }),
          headers: { 'Content-Type': 'application/json' },
        });
        assert.equal(put.status, 200, await put.text());
        assert.equal(peer.state.get('setpoint'), '21.5');
        const get = await fetch(`${command}/SetPoint`);
        assert.equal(get.status, 200);
        assert.equal(((await get.json()) as { event: { readings: { value: string }[] } }).event.readings[0].value, '2.150000e+01');
      } finally {
        const code = await service.stop();
        await new Promise((r) => peer.server.close(r));
        assert.equal(code, 0, `my-service exit code\n${service.output()}`);
      }
    });

    it("the project's own npm test passes against it (driver test, and the all-in-one test)", async () => {
      const endpoint = (name: string) => String(suite.endpoint(name).restPort);
      const out = await run('npm', ['test'], project, {
        EDGEX_HOST: '127.0.0.1',
        CORE_DATA_PORT: endpoint('core-data'),
        CORE_METADATA_PORT: endpoint('core-metadata'),
        CORE_COMMAND_PORT: endpoint('core-command'),
        MESSAGEBUS_HOST: suite.broker.host,
        MESSAGEBUS_PORT: String(suite.broker.port),
      });
      assert.match(out, /# pass 7\b/);
      assert.match(out, /# fail 0\b/);
      assert.equal(basename(project), 'my-service');
    });
  });
});
