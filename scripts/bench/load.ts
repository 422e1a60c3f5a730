import autocannon from 'autocannon';
import { CpuMeter } from './process-cpu';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** ms of CPU the server process (`serverPid`) spent per request answered; null when not asked. */
  cpuMsPerRequest: number | null;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** The server's process, to read its CPU time over the measured run. */
  serverPid?: number;
}

/** Drives `url` with autocannon for a warm-up second, then measures for `durationSeconds`. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({ url: options.url, headers: options.headers, connections: options.connections, duration });
  await run(1);
  const { serverPid } = options;
  const cpu = serverPid === undefined ? undefined : new CpuMeter([{ name: 'server', pids: () => [serverPid] }]);
  cpu?.start();
  const result = await run(options.durationSeconds);
  const cpuMs = cpu?.stop().get('server');
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMsPerRequest: cpuMs === undefined ? null : cpuMs / Math.max(result.requests.total, 1),
  };
}
