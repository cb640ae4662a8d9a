// CPU time of processes from /proc (Linux): utime + stime in clock ticks.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second (USER_HZ), almost always 100. */
export const CLOCK_TICKS: number = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, ticks. */
  cpuTicks: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may hold spaces: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] = state (field 3); ppid is field 4, utime 14, stime 15.
  return { pid, comm, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU seconds used so far by `pid` (its own threads, not its children). */
export function cpuSeconds(pid: number): number {
  const s = readStat(pid);
  return s ? s.cpuTicks / CLOCK_TICKS : NaN;
}

/** Children of `parent` whose command name is `comm` (e.g. the mosquitto a helper started). */
export function childrenNamed(parent: number, comm: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.ppid === parent && s.comm === comm) out.push(s.pid);
  }
  return out;
}

/** Machine-wide busy share of all cores since `before` (from /proc/stat), to note the background load. */
export function systemTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
