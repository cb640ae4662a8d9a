/**
 * Nothing forgotten: the services in services/, the images scripts/docker/build-images.sh builds, the
 * compose services of compose/docker-compose.yml and the Kubernetes workloads of every k8s overlay are the
 * same list. A service that lands in services/ fails this test until it has an image, a compose service and
 * a workload (k8s/base/<service>.yaml, listed in k8s/base/kustomization.yaml).
 *
 * kustomize comes from `bash scripts/install-test-servers.sh deploy-tools` (run by `npm test`).
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.EDGEX_TS_CACHE ?? join(homedir(), '.cache', 'edgex-ts');
const OVERLAYS = ['k8s/overlays/cloud', 'k8s/overlays/edge'];
/** Images that are not one service: the all-in-one runs every service in one process (not a k8s workload). */
const NOT_A_SERVICE_IMAGE = new Set(['all-in-one']);

type Obj = Record<string, any>;

/** One entry per folder in services/ that is a package: name and version. */
function servicesOnDisk(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(join(ROOT, 'services')).sort()) {
    const pkg = join(ROOT, 'services', name, 'package.json');
    if (existsSync(pkg)) out.set(name, (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version);
  }
  return out;
}
const rootVersion = () => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const sorted = (xs: Iterable<string>) => [...xs].sort();

/** `edgex-ts/<name>[:tag]` anywhere in an image reference (a registry or ${VAR} prefix is allowed). */
function serviceOfImage(image: string): { name: string; tag?: string } | undefined {
  const m = /(?:^|[/}])edgex-ts\/([a-z0-9][a-z0-9-]*)(?::([^@\s]+))?/.exec(image);
  return m ? { name: m[1], tag: m[2] } : undefined;
}

function render(dir: string): Obj[] {
  const cached = join(CACHE, 'bin', 'kustomize');
  let cmd: [string, string[]] | undefined = existsSync(cached) ? [cached, ['build']] : undefined;
  for (const [c, args] of [
    ['kustomize', ['build']],
    ['kubectl', ['kustomize']],
  ] as const) {
    if (!cmd && spawnSync(c, ['version'], { stdio: 'ignore' }).status === 0) cmd = [c, [...args]];
  }
  assert.ok(cmd, `kustomize not found (${cached}, kustomize or kubectl on PATH); install it with: bash scripts/install-test-servers.sh deploy-tools`);
  const out = execFileSync(cmd[0], [...cmd[1], join(ROOT, dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJS() as Obj)
    .filter((d) => d !== null);
}

describe('every service is built, composed and deployed', () => {
  const services = servicesOnDisk();

  test('services/ holds the services this test expects to find (the list is derived, not hard-coded)', () => {
    // The core services and the device services that exist today; more may land, none may vanish unnoticed.
    for (const s of ['core-data', 'core-metadata', 'core-command', 'device-virtual']) assert.ok(services.has(s), `services/${s} is missing`);
  });

  for (const overlay of OVERLAYS) {
    test(`${overlay}: one workload per service, running edgex-ts/<service>:<suite version>, named and labelled after it`, () => {
      const docs = render(overlay);
      const workloads = docs.filter((d) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(d.kind));
      const ours = new Map<string, Obj>();
      for (const w of workloads) {
        for (const c of w.spec.template.spec.containers as Obj[]) {
          const img = serviceOfImage(String(c.image));
          if (!img) continue;
          assert.ok(!ours.has(img.name), `${img.name} runs in two workloads`);
          ours.set(img.name, w);
          assert.equal(w.metadata.name, img.name, `workload ${w.metadata.name} runs the image of ${img.name}`);
          assert.equal(w.metadata.labels['app.kubernetes.io/name'], img.name);
          // build-images.sh tags every image with the suite version (the root package.json's).
          assert.equal(img.tag, rootVersion(), `${img.name}'s image tag is the suite version`);
          assert.equal(w.metadata.labels['app.kubernetes.io/version'], rootVersion(), `${img.name}'s version label`);
        }
      }
      assert.deepEqual(
        sorted(ours.keys()),
        sorted(services.keys()),
        `${overlay}: add k8s/base/<service>.yaml for each service in services/ (and list it in k8s/base/kustomization.yaml)`,
      );
      for (const name of services.keys()) {
        const svc = docs.find((d) => d.kind === 'Service' && d.metadata.name === name);
        assert.ok(svc, `${overlay}: no Service ${name}`);
      }
    });
  }

  test('scripts/docker/build-images.sh --list names one image per service (plus the all-in-one)', () => {
    const script = join(ROOT, 'scripts/docker/build-images.sh');
    assert.ok(existsSync(script), `${script} is missing: the images of the services cannot be checked`);
    const out = execFileSync('bash', [script, '--list'], { encoding: 'utf8' });
    const images = new Map<string, string | undefined>();
    for (const line of out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const ref = line.split(/\s+/).find((w) => serviceOfImage(w));
      const img = ref ? serviceOfImage(ref) : undefined;
      assert.ok(img, `build-images.sh --list printed a line without an edgex-ts image: ${line}`);
      images.set(img.name, img.tag);
    }
    const serviceImages = [...images.keys()].filter((n) => !NOT_A_SERVICE_IMAGE.has(n));
    assert.deepEqual(sorted(serviceImages), sorted(services.keys()), 'build-images.sh builds one image per folder in services/');
    for (const name of serviceImages) assert.equal(images.get(name), rootVersion(), `edgex-ts/${name} is tagged with the suite version`);
  });

  test('compose/docker-compose.yml has one compose service per service, running its image', () => {
    const file = join(ROOT, 'compose/docker-compose.yml');
    assert.ok(existsSync(file), `${file} is missing: the compose services cannot be checked`);
    const compose = YAML.parse(readFileSync(file, 'utf8')) as { services?: Record<string, Obj> };
    assert.ok(compose.services, 'docker-compose.yml has no services');
    const ours = new Map<string, string>();
    for (const [key, svc] of Object.entries(compose.services)) {
      const img = serviceOfImage(String(svc.image ?? ''));
      if (!img || NOT_A_SERVICE_IMAGE.has(img.name)) continue;
      assert.ok(!ours.has(img.name), `compose runs edgex-ts/${img.name} twice (${ours.get(img.name)}, ${key})`);
      ours.set(img.name, key);
      assert.equal(key, img.name, `compose service ${key} runs edgex-ts/${img.name}: name it after the service`);
    }
    assert.deepEqual(sorted(ours.keys()), sorted(services.keys()), 'docker-compose.yml has one compose service per folder in services/');
  });
});
