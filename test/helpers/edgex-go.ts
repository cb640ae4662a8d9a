// EdgeX's own Go code built for the conformance tests (test/edgex/): finding the cached binaries that
// scripts/install-test-servers.sh builds, and running `edgex-dto` (test/edgex/go-dto) on our answers.
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testServerBinDir } from './server-binary.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goInstalled(): boolean {
  return spawnSync('go', ['version']).error === undefined;
}

/**
 * Finds `edgex-dto`: `$EDGEX_TS_EDGEX_DTO`, else the install script's cache. Where Go is installed the script
 * runs first (`install-test-servers.sh edgex-dto`: a no-op while the cached build matches the sources, a
 * rebuild after they changed). Returns a reason instead of a path only when there is no binary and no Go to
 * build one; a failed build throws with the script's output.
 */
export function findEdgexDto(): { path: string } | { missing: string } {
  const fromEnv = process.env.EDGEX_TS_EDGEX_DTO;
  if (fromEnv) return { path: fromEnv };
  const cached = join(testServerBinDir(), 'edgex-dto');
  if (goInstalled()) {
    const build = spawnSync('bash', [join(repoRoot, 'scripts', 'install-test-servers.sh'), 'edgex-dto'], { encoding: 'utf8' });
    if (build.status !== 0) {
      throw new Error(`building edgex-dto failed (bash scripts/install-test-servers.sh edgex-dto):\n${build.stdout}${build.stderr}`);
    }
  }
  if (executable(cached)) return { path: cached };
  return {
    missing: `edgex-dto is not built (${cached}) and Go is not installed to build it: install Go, then bash scripts/install-test-servers.sh edgex`,
  };
}

/** One request as an EdgeX Go client sends it (see test/edgex/go-dto/vectors.go). */
export interface GoVector {
  name: string;
  /** message-bus: method PUBLISH, path the topic below the prefix, body the envelope. */
  service: 'core-metadata' | 'core-data' | 'core-command' | 'message-bus';
  method: string;
  /** Below /api/v3 (or the topic below the bus prefix). */
  path: string;
  request: string;
  answer: string;
  contentType: string;
  /**
   * Go's exact bytes (never parsed and re-encoded: 64-bit numbers stay exact). With contentType
   * `multipart/form-data; file`, the file sent as the form field `file`.
   */
  body?: string;
  /** Other content types (CBOR). */
  bodyBase64?: string;
  expect: { status: number; itemStatus?: number[]; emptyBatch?: boolean };
  /** For events: the id of the event sent. */
  eventId?: string;
}

export interface GoVectors {
  contracts: string;
  /** The names and event ids the vectors use. */
  names: Record<
    | 'service'
    | 'serviceMin'
    | 'profile'
    | 'profileMin'
    | 'profileWide'
    | 'profileYaml'
    | 'device'
    | 'deviceMin'
    | 'deviceBatch'
    | 'deviceChild'
    | 'deviceRefused'
    | 'watcher'
    | 'command'
    | 'eventAll'
    | 'eventBinary'
    | 'eventMin',
    string
  >;
  vectors: GoVector[];
  /**
   * What EdgeX's device SDK answers on the bus (message envelopes made by go-mod-messaging), keyed
   * `validate`, `set`, `get-no-event`, `get:<command>`; the responder puts the request's ids in place of
   * `requestId` and `correlationId`.
   */
  deviceService: { requestId: string; correlationId: string; answers: Record<string, string> };
}

/** What `edgex-dto check` found (ok: an EdgeX Go client decodes and validates the body, no field is missing or of another type). */
export interface CheckReport {
  type: string;
  ok: boolean;
  decodeError?: string;
  validateError?: string;
  /** A finding, not a failure: Go clients ignore unknown fields. */
  unknownFields?: string;
  diffs: { path: string; kind: string; ours?: string; go?: string }[];
}

function run(bin: string, args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = execFile(bin, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (err && code !== 1) return reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr}`));
      resolveRun({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

export class EdgexDto {
  constructor(readonly bin: string) {}

  /** The vectors (synchronous: tests are declared from them). */
  vectors(): GoVectors {
    const out = spawnSync(this.bin, ['vectors'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`edgex-dto vectors failed: ${out.stderr}`);
    return JSON.parse(out.stdout) as GoVectors;
  }

  /** Decodes `body` (the exact text we sent) into EdgeX's DTO `type` (suffix [] for a batch answer). */
  async check(type: string, body: string): Promise<CheckReport> {
    const { stdout } = await run(this.bin, ['check', type, '--json'], body);
    return JSON.parse(stdout) as CheckReport;
  }

  /**
   * Compares in Go the event a Go client sent (AddEventRequest JSON text, CBOR bytes, or a bus message envelope)
   * with our EventResponse text; '' when identical.
   */
  async sameEvent(sent: { json: string } | { cbor: Buffer } | { envelope: string }, gotText: string): Promise<string> {
    const sentPart =
      'json' in sent
        ? `"sent":${sent.json}`
        : 'envelope' in sent
          ? `"sentEnvelope":${sent.envelope}`
          : `"sentCbor":${JSON.stringify(sent.cbor.toString('base64'))}`;
    const { code, stdout } = await run(this.bin, ['same-event'], `{${sentPart},"got":${gotText}}`);
    return code === 0 ? '' : stdout.trim();
  }
}

/** The diff kinds that make `check` fail (test/edgex/go-dto/compare.go); the others are Go's own doing or harmless. */
const FAILING_DIFFS = new Set(['missing', 'type', 'null-for-empty', 'value', 'length']);

/** The failures of a check report, one per line (empty when an EdgeX Go client takes the body as is). */
export function describeFailures(report: CheckReport): string {
  const lines: string[] = [];
  if (report.decodeError) lines.push(`decode: ${report.decodeError}`);
  if (report.validateError) lines.push(`EdgeX validation: ${report.validateError}`);
  for (const d of report.diffs) {
    if (!FAILING_DIFFS.has(d.kind)) continue;
    lines.push(`${d.kind} ${d.path}: ours=${d.ours ?? '(absent)'} go=${d.go ?? '(absent)'}`);
  }
  return lines.join('\n');
}

/** The findings that are not failures: fields Go has no place for. */
export function describeFindings(report: CheckReport): string {
  const lines: string[] = [];
  if (report.unknownFields) lines.push(`unknown fields: ${report.unknownFields}`);
  for (const d of report.diffs) if (d.kind === 'unknown') lines.push(`unknown ${d.path}: ours=${d.ours}`);
  return lines.join('\n');
}
