/**
 * A real SNMP agent for tests: Debian's Net-SNMP `snmpd` (package `snmpd`) in the foreground on a free loopback
 * UDP port, with a generated config and a private persistent dir in a temp folder (never /var/lib/snmp):
 * community `public` read-only, `private` read-write, an SNMPv3 user with SHA/AES, fixed sysDescr, sysName and
 * sysLocation, and sysContact left writable (a sysContact line in the config would make it read-only).
 *
 * The Net-SNMP command-line tools (package `snmp`: `snmpget`, `snmpset`, `snmptrap`) check the agent's state
 * independently of the code under test and send real traps.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

const SNMPD = '/usr/sbin/snmpd';

export interface SnmpdAgent {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`, as the Net-SNMP tools take it. */
  target: string;
  readCommunity: string;
  writeCommunity: string;
  sysDescr: string;
  sysName: string;
  sysLocation: string;
  v3: { user: string; authProtocol: 'sha'; authKey: string; privProtocol: 'aes'; privKey: string };
  /** The value of one OID as `snmpget -Oqv` prints it (e.g. `"text"` quotes removed, numbers plain). */
  get(oid: string, community?: string): Promise<string>;
  /** Everything the agent printed so far (for assertion messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A UDP port on loopback that was free a moment ago. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Environment of snmpd and the tools: configs and persistent state only from `dir`, no MIB files loaded. */
function toolEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'persist'), SNMPCONFPATH: dir, MIBS: '', MIBDIRS: dir };
}

/**
 * Runs one Net-SNMP tool (`snmpget`, `snmpset`, `snmptrap`…) with its state in `dir` (else a temp dir removed
 * afterwards); resolves with its stdout.
 */
export async function runSnmpTool(tool: string, args: string[], dir?: string): Promise<string> {
  const own = dir === undefined ? mkdtempSync(join(tmpdir(), 'snmp-tool-')) : undefined;
  const home = dir ?? own!;
  try {
    return await new Promise((resolve, reject) => {
      execFile(tool, ['-M', home, '-m', '', ...args], { env: toolEnv(home), timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${tool} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout.trim());
      });
    });
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

/**
 * Sends a real SNMPv2c trap with `snmptrap` to `127.0.0.1:<port>`: `trapOid` plus varbinds given as
 * `[oid, type letter (i, u, s, t, a, o, c…), value]`.
 */
export function sendTrapV2c(port: number, trapOid: string, varbinds: [string, string, string][], community = 'public'): Promise<string> {
  return runSnmpTool('snmptrap', ['-v', '2c', '-c', community, `127.0.0.1:${port}`, '', trapOid, ...varbinds.flat()]);
}

/**
 * Sends a real SNMPv2c inform with `snmpinform`, which resolves only once the receiver acknowledged it (and fails
 * after its retries otherwise).
 */
export function sendInformV2c(port: number, trapOid: string, varbinds: [string, string, string][], community = 'public'): Promise<string> {
  return runSnmpTool('snmpinform', ['-v', '2c', '-c', community, '-t', '1', '-r', '2', `127.0.0.1:${port}`, '', trapOid, ...varbinds.flat()]);
}

/** Sends a real SNMPv1 trap (enterprise-specific) with `snmptrap` to `127.0.0.1:<port>`. */
export function sendTrapV1(port: number, enterprise: string, specific: number, varbinds: [string, string, string][], community = 'public'): Promise<string> {
  return runSnmpTool('snmptrap', ['-v', '1', '-c', community, `127.0.0.1:${port}`, enterprise, '127.0.0.1', '6', String(specific), '', ...varbinds.flat()]);
}

/** Starts snmpd; fails loudly when it is not installed (.ci/run installs `snmpd` and `snmp`), never skips. */
export async function startSnmpd(): Promise<SnmpdAgent> {
  if (!existsSync(SNMPD)) throw new Error('snmpd is not installed: apt-get install -y snmpd snmp (see .ci/run)');
  const dir = mkdtempSync(join(tmpdir(), 'snmpd-'));
  const port = await freeUdpPort();
  const agent = {
    sysDescr: 'edgex-ts test agent',
    sysName: 'edgex-ts-snmpd',
    sysLocation: 'test rack 1',
    v3: { user: 'edgexv3', authProtocol: 'sha', authKey: 'edgex-auth-pass', privProtocol: 'aes', privKey: 'edgex-priv-pass' },
  } as const;
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(
    conf,
    [
      `agentAddress udp:127.0.0.1:${port}`,
      'rocommunity public 127.0.0.1',
      'rwcommunity private 127.0.0.1',
      `sysDescr ${agent.sysDescr}`,
      `sysName ${agent.sysName}`,
      `sysLocation ${agent.sysLocation}`,
      `createUser ${agent.v3.user} SHA ${agent.v3.authKey} AES ${agent.v3.privKey}`,
      `rwuser ${agent.v3.user} priv`,
      '',
    ].join('\n'),
  );
  let out = '';
  const child: ChildProcess = spawn(SNMPD, ['-f', '-Lo', '-C', '-c', conf, '-M', dir, '-m', ''], {
    env: toolEnv(dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const get = (oid: string, community = 'public') =>
    runSnmpTool('snmpget', ['-v', '2c', '-c', community, '-Oqv', '-t', '1', '-r', '1', `127.0.0.1:${port}`, oid], dir).then(unquote);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `snmpd answering on UDP ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}: ${out.trim()}`);
        return (await runSnmpTool('snmpget', ['-v', '2c', '-c', 'public', '-t', '0.3', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.1.0'], dir)) !== '';
      },
      { timeoutMs: 15_000 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    target: `127.0.0.1:${port}`,
    readCommunity: 'public',
    writeCommunity: 'private',
    ...agent,
    v3: { ...agent.v3 },
    get,
    output: () => out,
    stop,
  };
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}
