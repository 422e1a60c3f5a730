import { CpuMeter, type CpuPart } from './process-cpu';

/**
 * A bare operation's rate on this machine: per second of wall time, and its CPU cost summed over
 * every process that takes part (the benchmark's own process included). The CPU cost is the one
 * to compare the system's CPU per unit of work with: it does not depend on how idle the machine
 * is, where a rate per wall second on two shared cores does.
 */
export interface BareRate {
  perSecond: number;
  cpuMsPerOp: number;
}

/** This benchmark's own process, the client side of every bare operation. */
export const THIS_PROCESS: CpuPart = { name: 'bench', pids: () => [process.pid] };

/** Runs `operations` ops through `run` while metering the CPU of `parts`. */
export async function measureBareRate(operations: number, parts: CpuPart[], run: () => Promise<void>): Promise<BareRate> {
  const meter = new CpuMeter(parts);
  meter.start();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = [...meter.stop().values()].reduce((a, b) => a + b, 0);
  return { perSecond: operations / seconds, cpuMsPerOp: cpuMs / operations };
}
