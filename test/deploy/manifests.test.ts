/**
 * The Kubernetes manifests (k8s/): what kustomize renders from each overlay validates strictly against the
 * Kubernetes JSON schemas (PyPI kubernetes-validate, "-strict" schemas: an unknown field or a wrong type is an
 * error) and, for KubeEdge kinds, against the openAPIV3Schema of KubeEdge's own CRDs made strict the way the
 * API server treats a structural schema (unknown fields rejected unless x-kubernetes-preserve-unknown-fields).
 * Then the properties the deployment relies on: probes, labels, resources, placement on KubeEdge edge nodes,
 * the MongoDB Secret, config files that the services accept.
 *
 * Tools come from `bash scripts/install-test-servers.sh deploy-tools` (run by `npm test`).
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadConfig } from '@edgex-ts/runtime';
import { deviceServiceConfigSchema } from '@edgex-ts/device-sdk';
import { coreDataConfigSchema, CORE_DATA_DEFAULTS } from '@edgex-ts/core-data';
import { loadCoreMetadataConfig } from '@edgex-ts/core-metadata';
import { loadCoreCommandConfig } from '@edgex-ts/core-command';
import { driverSettingsOf, DRIVER_CONFIG_DEFAULTS } from '@edgex-ts/device-snmp';
import { brokerInfoSchema, brokerSettings } from '@edgex-ts/device-mqtt';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.EDGEX_TS_CACHE ?? join(homedir(), '.cache', 'edgex-ts');
/** The Kubernetes version whose schemas the manifests must satisfy (KubeEdge v1.20–v1.23 run on 1.29–1.31). */
const K8S_VERSION = process.env.EDGEX_TS_K8S_VERSION ?? '1.30';
const INSTALL_HINT = 'install it with: bash scripts/install-test-servers.sh deploy-tools   (npm test does this)';

type Obj = Record<string, any>;

// ---------------------------------------------------------------------------------------------------------
// Rendering

function kustomizeCommand(): [string, string[]] {
  const cached = join(CACHE, 'bin', 'kustomize');
  if (existsSync(cached)) return [cached, ['build']];
  for (const [cmd, args] of [
    ['kustomize', ['build']],
    ['kubectl', ['kustomize']],
  ] as const) {
    if (spawnSync(cmd, ['version'], { stdio: 'ignore' }).status === 0) return [cmd, [...args]];
  }
  throw new Error(`kustomize not found (${cached}, kustomize or kubectl on PATH); ${INSTALL_HINT}`);
}

function render(dir: string): Obj[] {
  const [cmd, args] = kustomizeCommand();
  const out = execFileSync(cmd, [...args, join(ROOT, dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJS() as Obj)
    .filter((d) => d !== null);
}

// ---------------------------------------------------------------------------------------------------------
// Strict validation

interface Verdict {
  ok: boolean;
  error?: string;
  path?: (string | number)[];
}

/** CRD openAPIV3Schema → JSON Schema (2020-12) that fails on what a strict API server rejects. */
function strictCrdSchema(s: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as Obj).map(([p, c]) => [p, strictCrdSchema(c as Obj)]));
    else if (k === 'items' && v && typeof v === 'object') out.items = strictCrdSchema(v as Obj);
    else if (k === 'additionalProperties' && v && typeof v === 'object') out.additionalProperties = strictCrdSchema(v as Obj);
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as Obj[]).map(strictCrdSchema);
    else if (k === 'not') out.not = strictCrdSchema(v as Obj);
    else if (!k.startsWith('x-kubernetes-') && k !== 'nullable' && k !== 'format') out[k] = v;
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (s['x-kubernetes-embedded-resource']) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties ?? {}) };
  }
  // A structural schema prunes (strict field validation: rejects) every field it does not declare.
  if (out.type === 'object' && !s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** `<group>/<version>:<Kind>` → strict schema, from KubeEdge's CRD files fetched by the install script. */
function loadKubeEdgeSchemas(): Map<string, Obj> {
  const dir = join(CACHE, 'kubeedge-crds');
  if (!existsSync(join(dir, 'VERSION'))) throw new Error(`KubeEdge CRDs not found in ${dir}; ${INSTALL_HINT}`);
  const schemas = new Map<string, Obj>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const crd of YAML.parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj)) {
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions as Obj[]) {
        if (!v.served) continue;
        const schema = strictCrdSchema(v.schema.openAPIV3Schema);
        const apiVersion = `${crd.spec.group}/${v.name}`;
        schema.$schema = 'https://json-schema.org/draft/2020-12/schema';
        schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
        schema.properties.apiVersion = { const: apiVersion };
        schema.properties.kind = { const: crd.spec.names.kind };
        // The API server checks metadata as ObjectMeta whatever the CRD says: use the strict Kubernetes schema.
        schema.properties.metadata = { $ref: 'https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
        schemas.set(`${apiVersion}:${crd.spec.names.kind}`, schema);
      }
    }
  }
  return schemas;
}

// Runs kubernetes-validate (strict) for Kubernetes kinds and the same jsonschema validator, with the Kubernetes
// definitions registered, for CRD kinds. One python process per call; one verdict per document, in order.
const VALIDATOR_PY = `
import json, sys
import jsonschema
from referencing import Registry, Resource
import kubernetes_validate
from kubernetes_validate.utils import all_versions, major_minor, schema_contents

req = json.load(sys.stdin)
version = req["version"]
exact = [v for v in all_versions() if major_minor(v) <= major_minor(version)][-1]
defs = schema_contents("kubernetes-json-schema/v%s-local-strict/_definitions.json" % exact, version)
registry = Resource.from_contents(defs) @ Registry()
out = []
for item in req["docs"]:
    doc, schema = item["doc"], item.get("schema")
    try:
        if schema is not None:
            errors = sorted(jsonschema.Draft202012Validator(schema, registry=registry).iter_errors(doc),
                            key=lambda e: list(map(str, e.absolute_path)))
            if errors:
                e = errors[0]
                out.append({"ok": False, "error": e.message, "path": list(e.absolute_path)})
                continue
        else:
            kubernetes_validate.validate(doc, version, strict=True)
        out.append({"ok": True})
    except kubernetes_validate.ValidationError as e:
        out.append({"ok": False, "error": e.message, "path": list(e.absolute_path)})
    except kubernetes_validate.SchemaNotFoundError as e:
        out.append({"ok": False, "error": e.message, "path": []})
print(json.dumps(out))
`;

let crdSchemas: Map<string, Obj> | undefined;

function validate(docs: Obj[]): Verdict[] {
  crdSchemas ??= loadKubeEdgeSchemas();
  const pyDir = join(CACHE, 'python', 'kubernetes-validate');
  if (!existsSync(join(pyDir, 'kubernetes_validate'))) throw new Error(`kubernetes-validate not found in ${pyDir}; ${INSTALL_HINT}`);
  const input = JSON.stringify({
    version: K8S_VERSION,
    docs: docs.map((doc) => ({
      doc,
      schema: String(doc.apiVersion).includes('.kubeedge.io/') ? (crdSchemas!.get(`${doc.apiVersion}:${doc.kind}`) ?? null) : undefined,
    })),
  });
  // A KubeEdge kind with no CRD schema must not fall through to kubernetes-validate as "valid".
  for (const d of docs) {
    if (String(d.apiVersion).includes('.kubeedge.io/') && !crdSchemas.has(`${d.apiVersion}:${d.kind}`)) {
      return docs.map((x) => (x === d ? { ok: false, error: `no KubeEdge CRD for ${d.apiVersion} ${d.kind}` } : { ok: true }));
    }
  }
  const r = spawnSync('python3', ['-c', VALIDATOR_PY], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PYTHONPATH: pyDir, PYTHONDONTWRITEBYTECODE: '1' },
  });
  assert.equal(r.status, 0, `validator failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Verdict[];
}

const describeDoc = (d: Obj) => `${d.kind}/${d.metadata?.name}`;

function failures(docs: Obj[]): string[] {
  return validate(docs).flatMap((v, i) => (v.ok ? [] : [`${describeDoc(docs[i])}: ${v.error} at ${(v.path ?? []).join('.')}`]));
}

// ---------------------------------------------------------------------------------------------------------
// Helpers on rendered objects

const OVERLAYS = ['k8s/overlays/cloud', 'k8s/overlays/edge'] as const;
const rendered = new Map<string, Obj[]>();
const docsOf = (overlay: string) => {
  const docs = rendered.get(overlay);
  assert.ok(docs, `${overlay} was not rendered`);
  return docs;
};
const workloads = (docs: Obj[]) => docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet');
const podSpec = (w: Obj): Obj => w.spec.template.spec;
const byName = (docs: Obj[], kind: string, name: string) => {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(d, `${kind}/${name} is not rendered`);
  return d;
};
/** edgex-ts services: every workload running an edgex-ts/<service> image. */
const ourWorkloads = (docs: Obj[]) => workloads(docs).filter((w) => String(podSpec(w).containers[0].image).startsWith('edgex-ts/'));
const clone = <T>(x: T): T => structuredClone(x);
const RECOMMENDED = ['name', 'instance', 'component', 'part-of', 'version', 'managed-by'].map((k) => `app.kubernetes.io/${k}`);

before(() => {
  for (const o of OVERLAYS) rendered.set(o, render(o));
});

// ---------------------------------------------------------------------------------------------------------

describe('k8s overlays validate strictly against the Kubernetes and KubeEdge schemas', () => {
  for (const overlay of OVERLAYS) {
    test(`${overlay}: every rendered object is valid (Kubernetes ${K8S_VERSION}, strict)`, () => {
      const docs = docsOf(overlay);
      assert.ok(docs.length >= 20, `only ${docs.length} objects rendered`);
      assert.deepEqual(failures(docs), []);
    });
  }

  test('the edge overlay carries the example KubeEdge DeviceModel and Device, checked against the CRD schemas', () => {
    const docs = docsOf('k8s/overlays/edge').filter((d) => d.apiVersion === 'devices.kubeedge.io/v1beta1');
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['Device', 'DeviceModel']);
    assert.deepEqual(failures(docs), []);
    const model = docs.find((d) => d.kind === 'DeviceModel')!;
    const device = docs.find((d) => d.kind === 'Device')!;
    assert.equal(device.spec.deviceModelRef.name, model.metadata.name, 'the Device names the example DeviceModel');
    assert.equal(device.metadata.namespace, model.metadata.namespace);
    const modelProps = new Set((model.spec.properties as Obj[]).map((p) => p.name));
    for (const p of device.spec.properties as Obj[]) assert.ok(modelProps.has(p.name), `Device property ${p.name} is not in the DeviceModel`);
    for (const m of device.spec.methods as Obj[])
      for (const n of m.propertyNames as string[]) assert.ok(modelProps.has(n), `method ${m.name} names unknown property ${n}`);
    assert.equal(device.spec.protocol.protocolName, model.spec.protocol);
  });

  describe('the validator rejects what the API server would reject', () => {
    const deployment = () => clone(byName(docsOf('k8s/overlays/cloud'), 'Deployment', 'core-data'));
    const device = () => clone(byName(docsOf('k8s/overlays/edge'), 'Device', 'modbus-controller-01'));
    const model = () => clone(byName(docsOf('k8s/overlays/edge'), 'DeviceModel', 'modbus-temperature-controller'));

    test("the unmodified objects pass (so each rejection below is the mutation's)", () => {
      assert.deepEqual(failures([deployment(), device(), model()]), []);
    });

    test('Deployment with an unknown field (misspelt readinessProbe)', () => {
      const d = deployment();
      const c = d.spec.template.spec.containers[0];
      c.readinessProbes = c.readinessProbe;
      delete c.readinessProbe;
      const [v] = validate([d]);
      assert.equal(v.ok, false);
      assert.match(v.error!, /readinessProbes/);
      assert.deepEqual(v.path, ['spec', 'template', 'spec', 'containers', 0]);
    });

    test('Deployment with a wrong type (replicas as a string, a port as a string)', () => {
      const d = deployment();
      d.spec.replicas = '1';
      const [v] = validate([d]);
      assert.equal(v.ok, false);
      assert.deepEqual(v.path, ['spec', 'replicas']);
      const d2 = deployment();
      d2.spec.template.spec.containers[0].ports[0].containerPort = '59880';
      const [v2] = validate([d2]);
      assert.equal(v2.ok, false);
      assert.deepEqual(v2.path, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort']);
    });

    test('Device with an unknown field (in spec.properties[], and in metadata)', () => {
      const d = device();
      d.spec.properties[0].collectInterval = 1000;
      const [v] = validate([d]);
      assert.equal(v.ok, false);
      assert.match(v.error!, /collectInterval/);
      assert.deepEqual(v.path, ['spec', 'properties', 0]);
      const d2 = device();
      d2.metadata.lables = { a: 'b' };
      const [v2] = validate([d2]);
      assert.equal(v2.ok, false);
      assert.match(v2.error!, /lables/);
    });

    test('Device with a wrong type (collectCycle as a duration string); DeviceModel with a type outside its enum', () => {
      const d = device();
      d.spec.properties[0].collectCycle = '10s';
      const [v] = validate([d]);
      assert.equal(v.ok, false);
      assert.deepEqual(v.path, ['spec', 'properties', 0, 'collectCycle']);
      const m = model();
      m.spec.properties[0].type = 'float';
      const [v2] = validate([m]);
      assert.equal(v2.ok, false);
      assert.deepEqual(v2.path, ['spec', 'properties', 0, 'type']);
    });

    test('free-form configData stays free-form (x-kubernetes-preserve-unknown-fields), as on the API server', () => {
      const d = device();
      d.spec.protocol.configData.anyVendorKey = { nested: [1, 2] };
      assert.deepEqual(failures([d]), []);
    });

    test('a kind with no schema fails instead of passing unchecked', () => {
      const [v] = validate([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
      assert.equal(v.ok, false);
      const [v2] = validate([{ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceTwin', metadata: { name: 'w' } }]);
      assert.equal(v2.ok, false);
    });
  });
});

describe('k8s manifests: what the deployment relies on', () => {
  for (const overlay of OVERLAYS) {
    test(`${overlay}: every workload and pod has the recommended labels, and Services select existing pods on named ports`, () => {
      const docs = docsOf(overlay);
      for (const w of workloads(docs)) {
        for (const [where, labels] of [
          ['metadata', w.metadata.labels],
          ['pod template', w.spec.template.metadata.labels],
        ] as const) {
          for (const k of RECOMMENDED) assert.ok(labels?.[k], `${describeDoc(w)} ${where} lacks ${k}`);
        }
        for (const [k, v] of Object.entries(w.spec.selector.matchLabels as Obj)) {
          assert.equal(w.spec.template.metadata.labels[k], v, `${describeDoc(w)} selector ${k} does not match its pods`);
        }
        assert.ok(!('app.kubernetes.io/version' in w.spec.selector.matchLabels), `${describeDoc(w)}: a version in the selector would block upgrades`);
      }
      for (const svc of docs.filter((d) => d.kind === 'Service')) {
        const target = workloads(docs).find((w) => Object.entries(svc.spec.selector as Obj).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
        assert.ok(target, `Service ${svc.metadata.name} selects no workload`);
        const portNames = new Set(podSpec(target).containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.name)));
        for (const p of svc.spec.ports as Obj[])
          assert.ok(portNames.has(p.targetPort), `Service ${svc.metadata.name} port ${p.name} → ${p.targetPort} is not a container port`);
      }
    });

    test(`${overlay}: every pod has service links off, a non-root security context, probes and resource requests/limits`, () => {
      for (const w of workloads(docsOf(overlay))) {
        const spec = podSpec(w);
        assert.equal(spec.enableServiceLinks, false, `${describeDoc(w)}: service links would inject *_PORT variables our config reads`);
        assert.equal(spec.securityContext?.runAsNonRoot, true, `${describeDoc(w)} may run as root`);
        for (const c of spec.containers as Obj[]) {
          assert.ok(c.readinessProbe && c.livenessProbe, `${describeDoc(w)}/${c.name} lacks a probe`);
          assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${describeDoc(w)}/${c.name} lacks requests`);
          assert.ok(c.resources?.limits?.memory, `${describeDoc(w)}/${c.name} lacks a memory limit`);
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${describeDoc(w)}/${c.name}`);
          assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], `${describeDoc(w)}/${c.name}`);
        }
      }
    });

    test(`${overlay}: each edgex-ts service is probed on GET /api/v3/ping (REST port) and grpc.health.v1 (REST − 10000)`, () => {
      const ours = ourWorkloads(docsOf(overlay));
      assert.ok(ours.length >= 7);
      for (const w of ours) {
        const c = podSpec(w).containers[0];
        const http = (c.ports as Obj[]).find((p) => p.name === 'http')!.containerPort as number;
        const grpc = (c.ports as Obj[]).find((p) => p.name === 'grpc')!.containerPort as number;
        assert.equal(grpc, http - 10000, `${describeDoc(w)}: gRPC port is REST − 10000`);
        for (const probe of [c.readinessProbe, c.startupProbe]) assert.deepEqual(probe.httpGet, { path: '/api/v3/ping', port: 'http' }, describeDoc(w));
        assert.deepEqual(c.livenessProbe.grpc, { port: grpc }, describeDoc(w));
        const env = new Map((c.env as Obj[]).map((e) => [e.name, e]));
        // Registered in Consul under its Service's name: the address peers and Consul's checks use.
        assert.equal(env.get('SERVICE_HOST')?.value, w.metadata.name, `${describeDoc(w)} advertises its Service name`);
        byName(docsOf(overlay), 'Service', w.metadata.name);
      }
    });

    test(`${overlay}: each edgex-ts service runs as one pod at a time (one MQTT client id and session per service)`, () => {
      for (const w of ourWorkloads(docsOf(overlay))) {
        assert.equal(w.kind, 'Deployment', describeDoc(w));
        assert.equal(w.spec.replicas, 1, describeDoc(w));
        assert.deepEqual(w.spec.strategy, { type: 'Recreate' }, `${describeDoc(w)}: a rolling update would run two pods with one client id`);
      }
    });

    test(`${overlay}: MongoDB, Consul and Mosquitto are StatefulSets keeping their data on volume claims`, () => {
      const docs = docsOf(overlay);
      for (const [name, path] of [
        ['mongodb', '/data/db'],
        ['consul', '/consul/data'],
        ['mosquitto', '/mosquitto/data'],
      ]) {
        const s = byName(docs, 'StatefulSet', name);
        const claims = (s.spec.volumeClaimTemplates as Obj[]).map((t) => t.metadata.name);
        const mount = (podSpec(s).containers[0].volumeMounts as Obj[]).find((m) => m.mountPath === path);
        assert.ok(mount && claims.includes(mount.name), `${name} does not keep ${path} on a volume claim`);
        byName(docs, 'Service', name); // what clients connect to
        assert.equal(byName(docs, 'Service', s.spec.serviceName).spec.clusterIP, 'None', `${name}: the governing Service is headless`);
      }
    });

    test(`${overlay}: core-data and core-metadata get MONGODB_URL from the Secret; no password is written in a pod spec`, () => {
      const docs = docsOf(overlay);
      const secret = docs.find((d) => d.kind === 'Secret' && String(d.metadata.name).startsWith('mongodb-credentials'));
      assert.ok(secret, 'no mongodb-credentials Secret');
      const password = Buffer.from(secret.data.password, 'base64').toString();
      for (const name of ['core-data', 'core-metadata']) {
        const env = podSpec(byName(docs, 'Deployment', name)).containers[0].env as Obj[];
        const i = (n: string) => env.findIndex((e) => e.name === n);
        for (const [n, key] of [
          ['MONGODB_USERNAME', 'username'],
          ['MONGODB_PASSWORD', 'password'],
        ]) {
          const ref = env[i(n)]?.valueFrom?.secretKeyRef;
          assert.deepEqual(ref, { name: secret.metadata.name, key }, `${name} ${n}`);
          assert.ok(key in secret.data, `Secret has no ${key}`);
          // $(VAR) expands only variables defined earlier in the list.
          assert.ok(i(n) < i('MONGODB_URL'), `${name}: ${n} must precede MONGODB_URL`);
        }
        assert.match(env[i('MONGODB_URL')].value, /^mongodb:\/\/\$\(MONGODB_USERNAME\):\$\(MONGODB_PASSWORD\)@mongodb:27017\//);
      }
      const mongo = podSpec(byName(docs, 'StatefulSet', 'mongodb')).containers[0].env as Obj[];
      assert.equal(mongo.find((e) => e.name === 'MONGO_INITDB_ROOT_PASSWORD')?.valueFrom?.secretKeyRef?.name, secret.metadata.name);
      for (const w of workloads(docs)) assert.ok(!JSON.stringify(w).includes(password), `${describeDoc(w)} spells out the password`);
    });
  }

  test('cloud overlay: nothing is pinned to edge nodes and no pod uses the host network', () => {
    for (const w of workloads(docsOf('k8s/overlays/cloud'))) {
      const spec = podSpec(w);
      assert.equal(spec.hostNetwork, undefined, describeDoc(w));
      assert.equal(spec.nodeSelector?.['node-role.kubernetes.io/edge'], undefined, describeDoc(w));
    }
  });

  test('edge overlay: device services run on KubeEdge edge nodes, everything else stays off them', () => {
    const docs = docsOf('k8s/overlays/edge');
    const devices = ourWorkloads(docs).filter((w) => w.metadata.labels['app.kubernetes.io/component'] === 'device-service');
    assert.deepEqual(
      devices.map((w) => w.metadata.name).sort(),
      readdirSync(join(ROOT, 'services'))
        .filter((n) => n.startsWith('device-'))
        .sort(),
      'every device service is labelled component=device-service',
    );
    const edgeNames = new Set([...devices, ...ourWorkloads(docs).filter((w) => w.metadata.name === 'edge-sync')].map((w) => w.metadata.name));
    for (const w of workloads(docs)) {
      const spec = podSpec(w);
      if (edgeNames.has(w.metadata.name)) {
        assert.deepEqual(spec.nodeSelector, { 'node-role.kubernetes.io/edge': '' }, describeDoc(w));
        assert.ok(
          (spec.tolerations as Obj[]).some((t) => t.key === 'node-role.kubernetes.io/edge' && t.operator === 'Exists' && t.effect === 'NoSchedule'),
          `${describeDoc(w)} does not tolerate the edge taint`,
        );
      } else {
        const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Obj[] | undefined;
        assert.ok(
          terms?.length &&
            terms.every((t) => (t.matchExpressions as Obj[]).some((e) => e.key === 'node-role.kubernetes.io/edge' && e.operator === 'DoesNotExist')),
          `${describeDoc(w)} may land on an edge node`,
        );
        assert.equal(spec.nodeSelector, undefined, describeDoc(w));
      }
    }
  });

  test('edge overlay: device-modbus and device-snmp (only they) use the host network, keep cluster DNS, roll by Recreate and set no network sysctls', () => {
    const docs = docsOf('k8s/overlays/edge');
    const host = workloads(docs)
      .filter((w) => podSpec(w).hostNetwork === true)
      .map((w) => w.metadata.name)
      .sort();
    assert.deepEqual(host, ['device-modbus', 'device-snmp']);
    for (const name of host) {
      const w = byName(docs, 'Deployment', name);
      assert.equal(podSpec(w).dnsPolicy, 'ClusterFirstWithHostNet', `${name} would lose Service names`);
      assert.deepEqual(w.spec.strategy, { type: 'Recreate' }, `${name}: a surge pod would collide on the host ports`);
      assert.equal(podSpec(w).securityContext.sysctls, undefined, `${name}: the kubelet refuses network sysctls on the host network`);
    }
    for (const w of workloads(docs).filter((x) => String(x.metadata.labels['app.kubernetes.io/part-of']) === 'edgex-ts' && !podSpec(x).hostNetwork)) {
      if (!String(podSpec(w).containers[0].image).startsWith('edgex-ts/')) continue;
      assert.deepEqual(
        podSpec(w).securityContext.sysctls,
        [{ name: 'net.ipv4.ip_local_port_range', value: '60000 65535' }],
        `${w.metadata.name}: outgoing connections could take its EdgeX port`,
      );
    }
    const trap = (podSpec(byName(docs, 'Deployment', 'device-snmp')).containers[0].ports as Obj[]).find((p) => p.name === 'snmp-trap');
    assert.deepEqual(trap, { name: 'snmp-trap', containerPort: 1162, protocol: 'UDP' });
  });
});

describe('k8s config files and environment are accepted by the services', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgex-k8s-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The environment a pod of `name` sees (ConfigMap edgex-common + its own env, the kubelet's $(VAR) expanded). */
  function podEnvAndFile(name: string): { env: NodeJS.ProcessEnv; file: string; http: number; grpc: number } {
    const docs = docsOf('k8s/overlays/cloud');
    const w = byName(docs, 'Deployment', name);
    const c = podSpec(w).containers[0];
    const env: NodeJS.ProcessEnv = {};
    for (const from of c.envFrom as Obj[]) Object.assign(env, byName(docs, 'ConfigMap', from.configMapRef.name).data);
    const secret = docs.find((d) => d.kind === 'Secret' && String(d.metadata.name).startsWith('mongodb-credentials'))!;
    for (const e of c.env as Obj[]) {
      if (e.value !== undefined) env[e.name] = String(e.value).replace(/\$\((\w+)\)/g, (_, v: string) => env[v] ?? '');
      else if (e.valueFrom?.secretKeyRef) env[e.name] = Buffer.from(secret.data[e.valueFrom.secretKeyRef.key], 'base64').toString();
    }
    const volume = (podSpec(w).volumes as Obj[]).find((v) => v.name === 'config');
    const mount = (c.volumeMounts as Obj[]).find((m) => m.name === 'config');
    assert.ok(volume && mount, `${name} mounts no config volume`);
    const cm = byName(docs, 'ConfigMap', volume.configMap.name);
    assert.equal(env.EDGEX_CONFIG_FILE, `${mount.mountPath}/configuration.yaml`, `${name}: EDGEX_CONFIG_FILE points into the mounted ConfigMap`);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, cm.data['configuration.yaml']);
    env.EDGEX_CONFIG_FILE = file;
    const port = (n: string) => (c.ports as Obj[]).find((p) => p.name === n)!.containerPort as number;
    return { env, file, http: port('http'), grpc: port('grpc') };
  }

  test("core services: their config loads, listens on the manifest's ports, reaches mosquitto, Consul and MongoDB", () => {
    const loaders = {
      'core-metadata': (env: NodeJS.ProcessEnv) => loadCoreMetadataConfig({ env, argv: [] }),
      'core-command': (env: NodeJS.ProcessEnv) => loadCoreCommandConfig({ env, argv: [] }),
      'core-data': (env: NodeJS.ProcessEnv) => loadConfig({ service: 'core-data', schema: coreDataConfigSchema, defaults: CORE_DATA_DEFAULTS, env, argv: [] }),
    };
    for (const [name, load] of Object.entries(loaders)) {
      const { env, http, grpc } = podEnvAndFile(name);
      const config = load(env);
      assert.equal(config.Service.Port, http, `${name} REST port`);
      assert.equal(config.Service.GrpcPort, grpc, `${name} gRPC port`);
      assert.equal(config.Service.Host, name, `${name} advertises its Service name`);
      assert.equal(config.MessageBus.Host, 'mosquitto');
      assert.equal(config.MessageBus.Port, 1883);
      assert.equal(config.Registry.Type, 'consul', `${name} uses Consul`);
      assert.equal(config.Registry.Host, 'consul');
      assert.equal(config.Registry.Port, 8500);
      if (name !== 'core-command') {
        assert.equal(config.Database.Type, 'mongodb', `${name} stores in MongoDB`);
        assert.match(String(config.Database.Url), /^mongodb:\/\/edgex:[^@]+@mongodb:27017\/edgex\?authSource=admin$/);
      }
    }
  });

  test("every service's container and Service ports are its default REST port (as written in its source) and REST − 10000", () => {
    // The same convention scripts/docker/runtime-tree.mjs reads for the images' health checks: `Service: { Port: N`.
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
      );
    const docs = docsOf('k8s/overlays/cloud');
    for (const w of ourWorkloads(docs)) {
      const name = w.metadata.name as string;
      const ports = new Set(
        sources(join(ROOT, 'services', name, 'src')).flatMap((f) =>
          [...readFileSync(f, 'utf8').matchAll(/Service:\s*\{\s*Port:\s*(\d+)/g)].map((m) => Number(m[1])),
        ),
      );
      ports.delete(0);
      assert.equal(ports.size, 1, `services/${name}/src: expected one default REST port, found ${[...ports].join(', ') || 'none'}`);
      const [rest] = ports;
      const c = podSpec(w).containers[0];
      const port = (n: string) => (c.ports as Obj[]).find((p) => p.name === n)?.containerPort;
      assert.deepEqual([port('http'), port('grpc')], [rest, rest - 10000], `${name}: container ports`);
      const svc = byName(docs, 'Service', name);
      const svcPort = (n: string) => (svc.spec.ports as Obj[]).find((p) => p.name === n)?.port;
      assert.deepEqual([svcPort('http'), svcPort('grpc')], [rest, rest - 10000], `${name}: Service ports`);
    }
  });

  test('no pod sets a Writable key in its environment (it would override, and freeze, what Consul KV changes at run time)', () => {
    for (const w of ourWorkloads(docsOf('k8s/overlays/cloud'))) {
      const { env } = podEnvAndFile(w.metadata.name);
      const writable = Object.keys(env).filter((k) => k.replace(/[_-]/g, '').toLowerCase().startsWith('writable'));
      assert.deepEqual(writable, [], `${w.metadata.name}: set these in k8s/base/config/${w.metadata.name}.yaml instead`);
    }
  });

  test('device services: their config files load through the device-service schema', () => {
    const names = readdirSync(join(ROOT, 'services')).filter((n) => n.startsWith('device-'));
    for (const name of names) {
      const { env } = podEnvAndFile(name);
      const config = loadConfig({ service: name, schema: deviceServiceConfigSchema, env, argv: [] });
      assert.equal(config.MessageBus.Host, 'mosquitto', name);
      assert.equal(config.Registry.Type, 'consul', name);
      assert.equal(config.Writable.LogLevel, 'INFO', name);
    }
  });

  test("device-snmp listens for traps on the port the manifest opens; device-mqtt's devices use the suite's Mosquitto", () => {
    const snmp = podEnvAndFile('device-snmp');
    const config = loadConfig({ service: 'device-snmp', schema: deviceServiceConfigSchema, env: snmp.env, argv: [] });
    const trapPort = driverSettingsOf({ ...DRIVER_CONFIG_DEFAULTS, ...config.Driver }).trapPort;
    const w = byName(docsOf('k8s/overlays/cloud'), 'Deployment', 'device-snmp');
    assert.equal(trapPort, (podSpec(w).containers[0].ports as Obj[]).find((p) => p.name === 'snmp-trap')?.containerPort);
    const svc = byName(docsOf('k8s/overlays/cloud'), 'Service', 'device-snmp');
    assert.ok(
      (svc.spec.ports as Obj[]).some((p) => p.port === trapPort && p.protocol === 'UDP'),
      'the Service carries the trap port',
    );

    const mqtt = podEnvAndFile('device-mqtt');
    const mqttConfig = loadConfig({
      service: 'device-mqtt',
      schema: deviceServiceConfigSchema.extend({ MQTTBrokerInfo: brokerInfoSchema.prefault({}) }),
      env: mqtt.env,
      argv: [],
    });
    assert.match(brokerSettings(mqttConfig.MQTTBrokerInfo).url, /:\/\/mosquitto:1883$/);
  });
});
