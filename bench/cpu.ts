// CPU of the benchmark's processes, read from /proc so every process (the server, the load
// generator, the counters, ffmpeg) is measured the same way, from outside, without its help.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clkTck = 0;
function ticksPerSecond(): number {
  if (clkTck) return clkTck;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

/** utime + stime of one process (all its threads), in ms; NaN when it is gone. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat, first line). */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0); // guest time is already in user
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * A CPU meter over named processes: `mark()` then `read()` gives each one's CPU in % of one core
 * over the interval, and the machine's busy share in % of all its cores.
 */
export class CpuMeter {
  #pids: Record<string, number | undefined>;
  #start = new Map<string, number>();
  #t0 = 0;
  #machine0 = { busy: 0, total: 0 };
  constructor(pids: Record<string, number | undefined>) {
    this.#pids = pids;
  }
  mark(): void {
    this.#t0 = performance.now();
    this.#machine0 = machineJiffies();
    for (const [name, pid] of Object.entries(this.#pids)) this.#start.set(name, processCpuMs(pid));
  }
  read(): { pct: Record<string, number>; machinePct: number } {
    const elapsed = performance.now() - this.#t0;
    const pct: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.#pids)) {
      const a = this.#start.get(name) ?? NaN;
      pct[name] = (100 * (processCpuMs(pid) - a)) / elapsed;
    }
    const m = machineJiffies();
    const machinePct = (100 * (m.busy - this.#machine0.busy)) / Math.max(1, m.total - this.#machine0.total);
    return { pct, machinePct };
  }
}
