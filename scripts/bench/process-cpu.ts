import { readdirSync, readFileSync } from 'node:fs';

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ) on every platform Node runs on. */
const TICKS_PER_SECOND = 100;

/** A part of the running system and how to find its processes now. */
export interface CpuPart {
  name: string;
  pids: () => number[];
}

/** User + system CPU time of a process so far, in ms; 0 when it is gone or unreadable. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Processes whose command line contains every one of `parts`. */
export function pidsWhoseCommandHas(...parts: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (parts.every((p) => command.includes(p))) found.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return found;
}

/**
 * The CPU time each part of the system spends between `start` and `stop`, read from /proc: the
 * share of the machine's cores a benchmark's work takes, process by process (processes that
 * appear in between count from zero; one that ends in between loses what it spent).
 */
export class CpuMeter {
  private readonly before = new Map<number, number>();

  constructor(private readonly parts: CpuPart[]) {}

  start(): void {
    for (const part of this.parts) for (const pid of part.pids()) this.before.set(pid, cpuMsOf(pid));
  }

  /** ms of CPU per part since `start`. */
  stop(): Map<string, number> {
    return new Map(
      this.parts.map((part) => [part.name, part.pids().reduce((sum, pid) => sum + Math.max(0, cpuMsOf(pid) - (this.before.get(pid) ?? 0)), 0)]),
    );
  }
}
