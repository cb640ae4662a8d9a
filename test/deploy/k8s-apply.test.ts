/**
 * The Kubernetes manifests (k8s/) applied for real: a kube-apiserver with etcd (test/helpers/kube-apiserver.ts,
 * no controller-manager: workloads are validated, admitted and stored, nothing runs) and KubeEdge's device CRDs
 * of the oldest and newest versions the docs promise (v1.20.0, v1.23.0, from the kubeedge/kubeedge module).
 *
 * For each CRD version, in one fresh cluster with client-side apply and in another with server-side apply:
 * the cloud overlay is installed, then switched to the edge overlay (which also carries the KubeEdge examples),
 * and the stored objects are compared with what the overlays render; then the examples on their own
 * (`kubectl apply -k k8s/kubeedge -n edgex`), and the documented way to turn on state reporting on v1.23+.
 *
 * Binaries and CRDs come from `bash scripts/install-test-servers.sh kube` (run by `npm test`).
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { startKubeApiServer, type KubeApiServer } from '../helpers/kube-apiserver.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.EDGEX_TS_CACHE ?? join(homedir(), '.cache', 'edgex-ts');
const CRD_VERSIONS = (process.env.EDGEX_TS_KUBEEDGE_CRD_VERSIONS ?? 'v1.20.0 v1.23.0').split(/\s+/).filter(Boolean);
const CLOUD = join(ROOT, 'k8s/overlays/cloud');
const EDGE = join(ROOT, 'k8s/overlays/edge');
const EXAMPLES = join(ROOT, 'k8s/kubeedge');
const NS = 'edgex';
/** The patch docs/deploy.md gives for KubeEdge v1.23+ (spec.stateReport, which v1.20–v1.22 do not have). */
const STATE_REPORT_PATCH = '{"spec":{"stateReport":{"reportToCloud":true,"reportCycle":60000}}}';

type Obj = Record<string, any>;

/** `v1.23.0` → 23 */
const minorOf = (version: string) => Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? NaN);

async function render(kube: KubeApiServer, dir: string): Promise<Obj[]> {
  const out = await kube.kubectl(['kustomize', dir]);
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJS() as Obj)
    .filter((d) => d !== null);
}

async function installCrds(kube: KubeApiServer, version: string): Promise<void> {
  const dir = join(CACHE, 'kubeedge-crds-by-version', version);
  assert.ok(existsSync(join(dir, 'VERSION')), `KubeEdge ${version} CRDs not in ${dir}; install them with: bash scripts/install-test-servers.sh kube`);
  await kube.kubectl(['apply', '-f', dir]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/devices.devices.kubeedge.io', 'crd/devicemodels.devices.kubeedge.io']);
  // Established is set before discovery serves the group everywhere: poll until kubectl can list the kinds.
  await waitFor(
    'kubectl to list devices and devicemodels',
    async () => (await kube.kubectlResult(['get', 'devices.devices.kubeedge.io,devicemodels.devices.kubeedge.io', '-A'])).code === 0,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

async function apply(kube: KubeApiServer, mode: 'client-side' | 'server-side', dir: string, extra: string[] = []): Promise<string> {
  return kube.kubectl(['apply', ...(mode === 'server-side' ? ['--server-side'] : []), '-k', dir, ...extra]);
}

async function getJson(kube: KubeApiServer, args: string[]): Promise<Obj> {
  return JSON.parse(await kube.kubectl(['get', ...args, '-o', 'json'])) as Obj;
}

const kindKey = (d: Obj) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`;
const podSpec = (w: Obj): Obj => w.spec.template.spec;

/** Every rendered object is stored: same namespace, its labels, and for workloads the pod template fields that the overlays set. */
async function assertStored(kube: KubeApiServer, rendered: Obj[]): Promise<Map<string, Obj>> {
  const stored = new Map<string, Obj>();
  const list = await getJson(kube, [
    'deployments,statefulsets,services,configmaps,secrets,devices.devices.kubeedge.io,devicemodels.devices.kubeedge.io',
    '-n',
    NS,
  ]);
  for (const item of list.items as Obj[]) stored.set(kindKey(item), item);
  const ns = await getJson(kube, ['namespace', NS]);
  stored.set(kindKey(ns), ns);
  for (const want of rendered) {
    const got = stored.get(kindKey(want));
    assert.ok(got, `${kindKey(want)} was not stored`);
    if (want.kind !== 'Namespace') assert.equal(got.metadata.namespace, NS, kindKey(want));
    for (const [k, v] of Object.entries((want.metadata.labels ?? {}) as Obj)) assert.equal(got.metadata.labels?.[k], v, `${kindKey(want)}: label ${k}`);
    if (want.kind === 'Deployment' || want.kind === 'StatefulSet') {
      const w = podSpec(want);
      const g = podSpec(got);
      assert.deepEqual(
        (g.containers as Obj[]).map((c) => c.image),
        (w.containers as Obj[]).map((c) => c.image),
        `${kindKey(want)}: images`,
      );
      assert.deepEqual(got.spec.selector, want.spec.selector, `${kindKey(want)}: selector`);
      assert.deepEqual(got.spec.template.metadata.labels, want.spec.template.metadata.labels, `${kindKey(want)}: pod labels`);
      for (const field of ['nodeSelector', 'tolerations', 'affinity', 'hostNetwork', 'dnsPolicy'] as const) {
        // What the overlay does not set is the API server's default (dnsPolicy ClusterFirst) or absent.
        const expected = w[field] ?? (field === 'dnsPolicy' ? 'ClusterFirst' : undefined);
        assert.deepEqual(g[field], expected, `${kindKey(want)}: ${field}`);
      }
      assert.deepEqual(g.securityContext?.sysctls, w.securityContext?.sysctls, `${kindKey(want)}: sysctls`);
      if (want.kind === 'Deployment') assert.deepEqual(got.spec.strategy?.type, want.spec.strategy?.type ?? 'RollingUpdate', `${kindKey(want)}: strategy`);
    }
    if (want.apiVersion === 'devices.kubeedge.io/v1beta1') assert.deepEqual(got.spec, want.spec, `${kindKey(want)}: spec stored as written`);
  }
  return stored;
}

for (const version of CRD_VERSIONS) {
  describe(`k8s/ applied to kube-apiserver with KubeEdge ${version} device CRDs`, { timeout: 600_000 }, () => {
    for (const mode of ['client-side', 'server-side'] as const) {
      test(`${mode} apply: the cloud overlay, then switched to the edge overlay, then the KubeEdge examples on their own`, async (t) => {
        const kube = await startKubeApiServer();
        t.after(() => kube.stop());
        await installCrds(kube, version);
        const cloud = await render(kube, CLOUD);
        const edge = await render(kube, EDGE);

        // The cloud overlay, installed.
        await apply(kube, mode, CLOUD);
        const cloudStored = await assertStored(kube, cloud);
        const deployments = [...cloudStored.values()].filter((o) => o.kind === 'Deployment');
        assert.ok(deployments.length >= 10, `only ${deployments.length} Deployments stored`);
        for (const d of deployments) {
          assert.match(String(podSpec(d).containers[0].image), /^edgex-ts\/[a-z-]+:/, `${kindKey(d)} image`);
          assert.equal(d.metadata.labels['app.kubernetes.io/part-of'], 'edgex-ts', kindKey(d));
        }
        assert.equal(cloudStored.get(`Namespace//${NS}`)?.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
        assert.equal(podSpec(cloudStored.get(`Deployment/${NS}/device-modbus`)!).hostNetwork, undefined);

        // Switched to the edge overlay with the same kind of apply: what only the cloud overlay set is gone.
        const out = await apply(kube, mode, EDGE);
        assert.match(out, /device\.devices\.kubeedge\.io\/modbus-controller-01 (created|serverside-applied)/);
        const edgeStored = await assertStored(kube, edge);
        assert.equal(edgeStored.get(`Namespace//${NS}`)?.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
        const modbus = podSpec(edgeStored.get(`Deployment/${NS}/device-modbus`)!);
        assert.equal(modbus.hostNetwork, true);
        assert.equal(modbus.securityContext?.sysctls, undefined, 'the sysctls of the cloud overlay were removed from device-modbus');
        assert.deepEqual(modbus.nodeSelector, { 'node-role.kubernetes.io/edge': '' });
        assert.ok(podSpec(edgeStored.get(`Deployment/${NS}/core-data`)!).affinity, 'core-data is kept off the edge nodes');

        // The examples on their own, as docs/deploy.md says (already there from the edge overlay: accepted again).
        const examples = await kube.kubectl(['apply', ...(mode === 'server-side' ? ['--server-side'] : []), '-k', EXAMPLES, '-n', NS]);
        assert.match(examples, /devicemodel\.devices\.kubeedge\.io\/modbus-temperature-controller (unchanged|configured|serverside-applied)/);
        const device = await getJson(kube, ['device', 'modbus-controller-01', '-n', NS]);
        assert.equal(device.spec.deviceModelRef.name, 'modbus-temperature-controller');

        // State reporting (spec.stateReport) as docs/deploy.md says: v1.23+ stores it; older CRDs do not have it.
        const patched = await kube.kubectlResult(['patch', 'device', 'modbus-controller-01', '-n', NS, '--type=merge', '-p', STATE_REPORT_PATCH]);
        const after = await getJson(kube, ['device', 'modbus-controller-01', '-n', NS]);
        if (minorOf(version) >= 23) {
          assert.equal(patched.code, 0, patched.stderr);
          assert.deepEqual(after.spec.stateReport, { reportToCloud: true, reportCycle: 60000 });
          // A later apply of the overlay keeps it (the field is the patch's, not the applied configuration's).
          await apply(kube, mode, EDGE);
          const reapplied = await getJson(kube, ['device', 'modbus-controller-01', '-n', NS]);
          assert.deepEqual(reapplied.spec.stateReport, { reportToCloud: true, reportCycle: 60000 }, 're-applying the edge overlay dropped stateReport');
        } else {
          assert.equal(after.spec.stateReport, undefined, `KubeEdge ${version} has no spec.stateReport, yet it was stored`);
          // Why the example has none: a Device that carries it is refused by these CRDs.
          const example = edge.find((d) => d.kind === 'Device')!;
          const withStateReport: Obj = {
            ...example,
            metadata: { name: 'with-state-report', namespace: NS },
            spec: { ...example.spec, stateReport: { reportToCloud: true, reportCycle: 60000 } },
          };
          const refused = await kube.kubectlResult(['apply', ...(mode === 'server-side' ? ['--server-side'] : []), '-f', '-'], {
            input: JSON.stringify(withStateReport),
          });
          assert.notEqual(refused.code, 0, `KubeEdge ${version} accepted spec.stateReport: ${refused.stdout}`);
          // client-side: strict field validation; server-side: the typed patch has no such field.
          assert.match(refused.stderr, mode === 'server-side' ? /\.spec\.stateReport: field not declared in schema/ : /unknown field "spec\.stateReport"/);
        }
      });
    }
  });
}
