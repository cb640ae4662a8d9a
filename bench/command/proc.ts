// CPU time of processes from /proc (Linux): utime + stime in clock ticks.
import { readFileSync } from 'node:fs';
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
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return { pid, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU seconds used so far by `pid` (its own threads, not its children). */
export function cpuSeconds(pid: number): number {
  const s = readStat(pid);
  return s ? s.cpuTicks / CLOCK_TICKS : NaN;
}

/** Busy and total ticks of all cores so far (/proc/stat); the difference of two readings gives the machine's load. */
export function systemTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
