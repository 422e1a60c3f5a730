import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { AppConfig } from '@numbers/config';
import { generateApiKey, newId } from '@numbers/domain';
import { Database } from '@numbers/persistence';
import { ensureBuilt, freePort, startProcess, type StartedProcess } from '@numbers/test-support';
import { localEnv } from '../../lib/local-env';
import { resetBenchDatabase } from '../bench-database';
import { measure, type LoadResult } from '../load';
import { createAccountsSql, createProfilesSql, createTargetNumbersSql } from '../list/seed-numbers.sql';

const ACCOUNT_ID = '1'.padStart(24, '0');
const PROFILE_ID = `${'1'.padStart(23, '0')}f`;

/** An OTLP/HTTP (JSON) endpoint that accepts every export and only counts its spans. */
function startSink(): Promise<{ url: string; spans: () => number; close: () => void }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
      for (const { scopeSpans } of body.resourceSpans) for (const { spans } of scopeSpans) received += spans.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans: () => received, close: () => server.close() }),
    ),
  );
}

function line(label: string, r: LoadResult): string {
  return `${label.padEnd(14)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50Ms).padStart(3)} ms   p99 ${String(r.p99Ms).padStart(4)} ms   CPU ${(r.cpuMsPerRequest ?? 0).toFixed(2)} ms/req${r.non2xx || r.errors ? `   (non-2xx ${r.non2xx}, errors ${r.errors})` : ''}`;
}

/**
 * `npm run bench -- tracing [--numbers N] [--rounds R]`: the gateway's cost of tracing. Two
 * gateways of the same build on one database, one with tracing off and one exporting every span
 * to a local OTLP sink, measured in alternating slices on `GET /v1/whatsapp/phone-numbers` (an
 * account with N numbers): requests per second and the gateway's CPU per request.
 */
export async function runTracingBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { numbers: { type: 'string', default: '25' }, rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '16' } },
  });
  const [numbers, rounds, durationSeconds, connections] = [values.numbers, values.rounds, values.duration, values.connections].map(Number);
  const env = localEnv();
  const admin = new URL(env['DATABASE_URL']);
  admin.pathname = '/postgres';
  await ensureBuilt(['api-gateway']);
  const databaseUrl = await resetBenchDatabase(admin.toString(), 'numbers_bench_tracing');
  const db = new Database(AppConfig.fromEnv({ ...env, DATABASE_URL: databaseUrl, DATABASE_NAMED_STATEMENTS: 'false' }));
  await createAccountsSql(1, 1).execute(db);
  await createProfilesSql(1, 1).execute(db);
  await createTargetNumbersSql(ACCOUNT_ID, numbers, PROFILE_ID).execute(db);
  const key = generateApiKey();
  await db.insertInto('apiKeys').values({ id: newId(), accountId: ACCOUNT_ID, prefix: key.prefix, keyHash: key.hash }).execute();
  await db.destroy();

  const sink = await startSink();
  const processes: StartedProcess[] = [];
  try {
    const start = async (name: string, tracing: Record<string, string>) => {
      const port = await freePort();
      const gateway = await startProcess({
        name,
        script: 'dist/apps/api-gateway/main.js',
        env: { ...env, ...tracing, DATABASE_URL: databaseUrl, REDIS_PREFIX: '{numbers-bench}', GATEWAY_PORT: String(port), RATE_LIMIT_PER_MINUTE: '1000000000', LOG_LEVEL: 'warn' },
        readyUrl: `http://127.0.0.1:${port}/health`,
        readyTimeoutMs: 120_000,
      });
      processes.push(gateway);
      return { gateway, url: `http://127.0.0.1:${port}/v1/whatsapp/phone-numbers` };
    };
    const off = await start('gateway, tracing off', {});
    const on = await start('gateway, tracing on', { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
    const load = { connections, durationSeconds, headers: { authorization: `Bearer ${key.key}` } };
    process.stdout.write(`GET /v1/whatsapp/phone-numbers (${numbers} numbers), ${rounds} alternating rounds of ${durationSeconds} s, ${connections} connections\n`);
    let tracedRequests = 0;
    for (let round = 1; round <= rounds; round++) {
      process.stdout.write(`${line('tracing off', await measure({ ...load, url: off.url, serverPid: off.gateway.pid }))}\n`);
      const traced = await measure({ ...load, url: on.url, serverPid: on.gateway.pid });
      tracedRequests += traced.requestsPerSecond * durationSeconds;
      process.stdout.write(`${line('tracing on', traced)}\n`);
    }
    // Each measure() also runs a second of warm-up, whose spans the sink counts too.
    process.stdout.write(`spans exported: ${sink.spans()} (about ${(sink.spans() / Math.max(tracedRequests, 1)).toFixed(1)} per measured request, warm-up included)\n`);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    sink.close();
  }
}
