/**
 * A real Kubernetes API server for tests: etcd 3.6 and kube-apiserver (built from the Go module proxy by
 * `bash scripts/install-test-servers.sh kube`) on free loopback ports, state in a temp dir. No
 * kube-controller-manager, scheduler or kubelet: objects are validated, admitted and stored, nothing runs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports.js';
import { findServerBinary } from './server-binary.js';
import { waitFor } from './wait.js';
import { errorMessage } from '@edgex-ts/contracts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubeApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** A kubeconfig for the test's system:masters user (token auth), in the server's temp dir. */
  readonly kubeconfig: string;
  /** The kubectl binary that matches the server. */
  readonly kubectlPath: string;
  /** Runs kubectl against this server; rejects (with its stderr) when it exits non-zero. Resolves with stdout. */
  kubectl(args: string[], options?: { input?: string }): Promise<string>;
  /** Runs kubectl against this server and resolves with its exit code and output, whatever the code. */
  kubectlResult(args: string[], options?: { input?: string }): Promise<KubectlResult>;
  /** What etcd and kube-apiserver printed (for assertion messages). */
  output(): string;
  stop(): Promise<void>;
}

/** `$EDGEX_TS_<NAME>_BIN`, the install script's cache, then PATH. */
export function findKubeBinary(name: 'kube-apiserver' | 'kubectl' | 'etcd'): string {
  return findServerBinary(name, `EDGEX_TS_${name.replace('-', '_').toUpperCase()}_BIN`);
}

function run(cmd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: options.env ?? process.env, cwd: options.cwd }, (err, stdout, stderr) => {
      // A non-zero exit is an answer (code); not starting at all (ENOENT: code is a string) is an error.
      if (err && typeof err.code !== 'number') reject(new Error(`${cmd}: ${errorMessage(err)}`));
      else resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const r = await run('openssl', args, { cwd: dir });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** GET <path> with the bearer token and the test CA: resolves with the status code and body. */
function get(url: string, ca: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function startChild(bin: string, args: string[], log: (s: string) => void): { child: ChildProcess; exited: Promise<unknown[]> } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  return { child, exited: once(child, 'exit') };
}

async function stopChild(p: { child: ChildProcess; exited: Promise<unknown[]> } | undefined): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

/**
 * Starts etcd and kube-apiserver on free loopback ports: a CA and serving certificate made with openssl, a
 * service-account key, token auth with one `system:masters` user, RBAC. Resolves once `/readyz` answers ok.
 * Fails with the install command when a binary is missing.
 */
export async function startKubeApiServer(): Promise<KubeApiServer> {
  const etcdBin = findKubeBinary('etcd');
  const apiserverBin = findKubeBinary('kube-apiserver');
  const kubectlPath = findKubeBinary('kubectl');
  const dir = mkdtempSync(join(tmpdir(), 'edgex-ts-kube-'));
  const [etcdClient, etcdPeer, securePort] = await freePorts(3);
  let out = '';
  const log = (prefix: string) => (s: string) => {
    out += s
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${prefix}: ${l}\n`)
      .join('');
  };
  let etcd: { child: ChildProcess; exited: Promise<unknown[]> } | undefined;
  let apiserver: { child: ChildProcess; exited: Promise<unknown[]> } | undefined;
  const stop = async () => {
    await stopChild(apiserver);
    await stopChild(etcd);
    rmSync(dir, { recursive: true, force: true });
  };
  const token = `edgex-ts-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const url = `https://127.0.0.1:${securePort}`;
  const kubeconfig = join(dir, 'kubeconfig');
  try {
    await openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=edgex-ts-test-ca']);
    await openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver']);
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]);
    await openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
    // token,user,uid,"group1,group2"
    writeFileSync(join(dir, 'tokens.csv'), `${token},edgex-ts-test-admin,edgex-ts-test-admin,"system:masters"\n`);
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');

    const etcdArgs = [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--watch-progress-notify-interval=5s',
      '--log-level=warn',
    ];
    etcd = startChild(etcdBin, etcdArgs, log('etcd'));
    const etcdProcess = etcd.child;
    await waitFor(
      `etcd on 127.0.0.1:${etcdClient} to be healthy`,
      async () => {
        if (etcdProcess.exitCode !== null) throw new Error(`etcd exited with ${etcdProcess.exitCode}`);
        const res = await fetch(`http://127.0.0.1:${etcdClient}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true';
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    const apiserverArgs = [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--tls-cert-file=${join(dir, 'server.crt')}`,
      `--tls-private-key-file=${join(dir, 'server.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.key')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--v=0',
    ];
    apiserver = startChild(apiserverBin, apiserverArgs, log('kube-apiserver'));
    const apiserverProcess = apiserver.child;
    await waitFor(
      `kube-apiserver on ${url} to be ready`,
      async () => {
        if (apiserverProcess.exitCode !== null) throw new Error(`kube-apiserver exited with ${apiserverProcess.exitCode}`);
        const res = await get(`${url}/readyz`, ca, token);
        return res.status === 200 && res.body.trim() === 'ok';
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '  - name: test',
        '    cluster:',
        `      server: ${url}`,
        `      certificate-authority: ${join(dir, 'ca.crt')}`,
        'users:',
        '  - name: test-admin',
        '    user:',
        `      token: ${token}`,
        'contexts:',
        '  - name: test',
        '    context: {cluster: test, user: test-admin}',
        'current-context: test',
        '',
      ].join('\n'),
    );
  } catch (err) {
    await stop();
    throw new Error(`${errorMessage(err)}\n${out.slice(-8000)}`);
  }

  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const kubectlResult = (args: string[], options: { input?: string } = {}) => run(kubectlPath, args, { input: options.input, env });
  const kubectl = async (args: string[], options: { input?: string } = {}) => {
    const r = await kubectlResult(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited with ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  return { url, kubeconfig, kubectlPath, kubectl, kubectlResult, output: () => out, stop };
}
