import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

/** Drives `url` with autocannon for a warm-up second, then measures for `durationSeconds`. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({ url: options.url, headers: options.headers, connections: options.connections, duration });
  await run(1);
  const result = await run(options.durationSeconds);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
