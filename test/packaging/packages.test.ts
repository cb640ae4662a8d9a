/**
 * The SDK as users get it: every sdk/ package packed with `npm pack`, a device service made from the packed
 * starter in a folder outside the repository, installed from the tarballs (third-party packages from the
 * npm registry, through the machine's npm cache), built with its own TypeScript, and run against the
 * all-in-one: its readings reach core-data and a command round-trips through core-command.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { startNode, type RunningProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const REPO = resolve('.');
const SDK_PACKAGES = readdirSync(join(REPO, 'sdk')).filter((d) => readdirSync(join(REPO, 'sdk', d)).includes('package.json'));
/** Packages a device service must not pull in unless it asks for them. */
const STORAGE_AND_REGISTRY = ['better-sqlite3', 'mongodb', 'consul', '@edgex-ts/sqlite', '@edgex-ts/mongo', '@edgex-ts/consul'];

interface PackResult {
  name: string;
  filename: string;
  files: { path: string }[];
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
  const project = join(work, 'my-service');
  let packed: PackResult[];
  const tarball = new Map<string, string>();

  before(async () => {
    assert.ok(!work.startsWith(REPO), `${work} must be outside the repository`);
    mkdirSync(packs);
    const out = await run('npm', ['pack', '--json', '--pack-destination', packs, ...SDK_PACKAGES.flatMap((p) => ['-w', `sdk/${p}`])], REPO);
    packed = JSON.parse(out) as PackResult[];
    for (const p of packed) tarball.set(p.name, join(packs, p.filename));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('every sdk package packs its build (JavaScript, types, source maps) and README, and no tests or sources', async () => {
    assert.deepEqual(
      packed.map((p) => p.name).sort(),
      SDK_PACKAGES.map((d) => JSON.parse(readFileSync(join(REPO, 'sdk', d, 'package.json'), 'utf8')).name).sort(),
    );
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
      const unpacked = join(work, 'unpacked', p.filename);
      mkdirSync(unpacked, { recursive: true });
      await run('tar', ['-xzf', join(packs, p.filename), '-C', unpacked], work);
      const map = JSON.parse(readFileSync(join(unpacked, 'package', 'dist', 'index.js.map'), 'utf8')) as { sourcesContent?: string[] };
      assert.ok(map.sourcesContent?.[0], `${p.name}: source maps carry their sources (inlineSources), which are not shipped`);
    }
  });

  it('the starter makes a project that installs from the tarballs alone and builds with its own TypeScript', async () => {
    await run(
      'npm',
      ['exec', '--yes', '--prefer-offline', `--package=${tarball.get('@edgex-ts/create-device-service')}`, '--', 'create-device-service', 'my-service'],
      work,
    );
    // The packages are not on the registry (yet): every @edgex-ts dependency, direct or not, comes from its tarball.
    const pkgFile = join(project, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    const fromTarball = Object.fromEntries([...tarball].map(([name, file]) => [name, `file:${file}`]));
    for (const deps of [pkg.dependencies, pkg.devDependencies]) for (const name of Object.keys(deps)) if (fromTarball[name]) deps[name] = fromTarball[name];
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, overrides: fromTarball }, null, 2));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project);

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
