/**
 * A Docker engine and docker-compose projects for the deployment tests.
 *
 * `ensureDockerEngine()` uses the engine that answers `docker info`; when none does and this process is root,
 * it starts `dockerd` itself (and `stop()` ends only that one). Where no engine can run, it says why, so the
 * tests skip with that message instead of failing.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';
import { errorMessage } from '@edgex-ts/contracts';

export interface DockerEngine {
  /** Why no engine is available (the tests skip with it); undefined when one is. */
  readonly skip?: string;
  /** True when this helper started dockerd. */
  readonly startedHere: boolean;
  /** Stops dockerd if this helper started it; otherwise does nothing. */
  stop(): Promise<void>;
}

const DOCKERD = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p));

function dockerAnswers(): boolean {
  return spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

export async function ensureDockerEngine(): Promise<DockerEngine> {
  const none = (skip: string): DockerEngine => ({ skip, startedHere: false, stop: async () => {} });
  if (spawnSync('docker', ['--version'], { stdio: 'ignore' }).error) {
    return none('the docker CLI is not installed (apt-get install -y docker.io docker-compose; see .ci/run)');
  }
  if (dockerAnswers()) return { startedHere: false, stop: async () => {} };
  if (!DOCKERD) return none('no Docker engine answers `docker info` and dockerd is not installed (apt-get install -y docker.io)');
  if (process.getuid?.() !== 0) return none('no Docker engine answers `docker info`, and starting dockerd needs root');

  const dir = mkdtempSync(join(tmpdir(), 'edgex-ts-dockerd-'));
  const logFile = join(dir, 'dockerd.log');
  const logFd = openSync(logFile, 'a');
  const args = ['--host=unix:///var/run/docker.sock'];
  const child: ChildProcess = spawn(DOCKERD, args, { stdio: ['ignore', logFd, logFd] });
  const exited = once(child, 'exit');
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'dockerd to answer docker info',
      () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
        return dockerAnswers();
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  } catch (err) {
    await stop();
    return none(`no Docker engine could start here (${DOCKERD} ${args.join(' ')}): ${errorMessage(err)}\n${log()}`);
  }
  return { startedHere: true, stop };
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop; resolves with its exit code and output (never rejects on exit codes). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Like run(), but throws with the command's output when it fails. */
export async function runOk(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** docker-compose (v1, Debian's package) if present, else the Compose v2 plugin (`docker compose`). */
export function composeCommand(): string[] {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  throw new Error('neither docker-compose nor the docker compose plugin is installed (apt-get install -y docker-compose; see .ci/run)');
}

export interface ContainerState {
  service: string;
  /** running, exited, restarting, … */
  status: string;
  /** healthy, unhealthy, starting; '' when the image has no health check. */
  health: string;
  restarts: number;
  /** Exit code of the last run (0 while running). */
  exitCode: number;
}

/** One docker-compose project: a name of its own, its files, and the variables its files read. */
export class ComposeProject {
  private readonly compose = composeCommand();

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly files: string[],
    readonly env: Record<string, string> = {},
  ) {}

  /** Runs `docker-compose -p <name> -f … <args>` in the project folder. */
  run(args: string[], timeoutMs = 600_000): Promise<CommandResult> {
    const [cmd, ...pre] = this.compose;
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    return run(cmd, [...pre, '-p', this.name, ...fileArgs, ...args], { cwd: this.dir, env: this.env, timeoutMs });
  }

  async runOk(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) throw new Error(`compose ${args.join(' ')} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** The state of every container of the project, by compose service. */
  async containers(): Promise<ContainerState[]> {
    const ids = (await runOk('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${this.name}`])).split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const format =
      '{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.RestartCount}}|{{.State.ExitCode}}';
    const lines = (await runOk('docker', ['inspect', '--format', format, ...ids])).split('\n').filter(Boolean);
    return lines.map((l) => {
      const [service, status, health, restarts, exitCode] = l.split('|');
      return { service: service, status: status, health: health, restarts: Number(restarts), exitCode: Number(exitCode) };
    });
  }

  /**
   * Waits until every container of `services` runs and is healthy. Fails at once, with the logs, when a container
   * turned unhealthy, stopped, or keeps restarting; on timeout, names the ones not healthy yet.
   */
  async waitHealthy(services: string[], timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await this.containers();
      const broken = states.filter((s) => s.health === 'unhealthy' || s.status === 'exited' || s.status === 'dead' || s.restarts >= 3);
      if (broken.length) {
        const detail = broken.map((s) => `${s.service}: ${s.status} ${s.health} (${s.restarts} restarts)`).join(', ');
        throw new Error(`containers of ${this.name} failed: ${detail}\n${await this.logs(broken.map((s) => s.service))}`);
      }
      const healthy = new Set(states.filter((s) => s.status === 'running' && s.health === 'healthy').map((s) => s.service));
      const waiting = services.filter((s) => !healthy.has(s));
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${this.name} to be healthy; not yet: ${waiting.join(', ')}\n${await this.logs(waiting)}`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The last lines each service logged (for failure messages). */
  async logs(services: string[] = [], tail = 40): Promise<string> {
    const r = await this.run(['logs', '--no-color', `--tail=${tail}`, ...services]);
    return r.stdout + r.stderr;
  }

  /** The host port published for a container port of a service. */
  async port(service: string, containerPort: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<number> {
    const out = (await this.runOk(['port', '--protocol', protocol, service, String(containerPort)])).trim();
    const port = Number(/:(\d+)$/.exec(out)?.[1]);
    if (!Number.isInteger(port) || port <= 0) throw new Error(`${service} publishes no ${containerPort}/${protocol}: "${out}"`);
    return port;
  }

  /** Stops and removes the project's containers, networks and volumes. */
  async down(): Promise<void> {
    await this.runOk(['down', '--volumes', '--remove-orphans', '--timeout', '20']);
  }
}
