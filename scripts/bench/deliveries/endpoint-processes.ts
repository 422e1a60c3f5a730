import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../../lib/local-env';

// A customer's endpoint that answers at once, in a Node process of its own: 200 to every POST.
// POST /hook records (event id, arrival ms) when the body has arrived; POST /bare only answers
// (the bare exchanges); GET /count answers how many /hook recorded, GET /arrivals what.
const RECEIVER = `
const http = require('node:http');
const arrivals = [];
const server = http.createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.url === '/count' ? arrivals.length : arrivals));
    return;
  }
  const eventId = request.headers['x-zernio-event-id'];
  request.on('data', () => undefined);
  request.on('end', () => {
    if (request.url === '/hook') arrivals.push([eventId, Date.now()]);
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

// The bare client, in a Node process of its own: node:http with a keep-alive agent (as the
// delivery worker's WebhookSender), \`concurrency\` POSTs in flight, each with the body size and
// the headers of a delivery, nothing computed per request. Prints requests/s and its own CPU
// time over the measured requests as JSON.
const CLIENT = `
const http = require('node:http');
const [url, warmUp, requests, concurrency, bodyBytes] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true });
const body = JSON.stringify({ id: 'x'.repeat(Math.max(0, Number(bodyBytes) - 10)) });
const headers = {
  'content-type': 'application/json',
  'content-length': String(Buffer.byteLength(body)),
  'x-zernio-event-id': 'x'.repeat(24),
  'x-zernio-timestamp': String(Math.floor(Date.now() / 1000)),
  'x-zernio-signature': 'sha256=' + 'f'.repeat(64),
};
const post = () => new Promise((resolve, reject) => {
  const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
    response.on('data', () => undefined);
    response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error('HTTP ' + response.statusCode))));
  });
  request.on('error', reject);
  request.end(body);
});
const run = async (total) => {
  let next = 0;
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (next < total) { next += 1; await post(); }
  }));
};
(async () => {
  await run(Number(warmUp));
  process.stdout.write('measuring\\n');
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run(Number(requests));
  const seconds = (performance.now() - started) / 1000;
  const spent = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ perSecond: Number(requests) / seconds, cpuMs: (spent.user + spent.system) / 1000 }) + '\\n');
  agent.destroy();
})().catch((error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });
`;

export interface Receiver {
  pid: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** How many POST /hook recorded so far (cheap to poll while deliveries run). */
  count(): Promise<number>;
  /** What POST /hook recorded so far: [event id, arrival ms since the epoch]. */
  arrivals(): Promise<[string, number][]>;
  stop(): void;
}

async function firstLine(child: ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return chunk.toString().trim();
}

export async function startReceiver(): Promise<Receiver> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `http://127.0.0.1:${await firstLine(child)}`;
  return {
    pid: child.pid as number,
    url,
    count: async () => (await (await fetch(`${url}/count`)).json()) as number,
    arrivals: async () => (await (await fetch(`${url}/arrivals`)).json()) as [string, number][],
    stop: () => child.kill(),
  };
}

export interface BareRun {
  /** Resolves when the warm-up is done and the measured requests start. */
  measuring: Promise<void>;
  /** Exchanges per second over the measured requests, and the client's CPU ms over them. */
  result: Promise<{ perSecond: number; cpuMs: number }>;
}

/**
 * Bare HTTP exchanges between two Node processes: a client process POSTs to `url` with
 * `concurrency` requests in flight (after `warmUp` requests), `requests` of them measured.
 */
export function bareExchanges(url: string, warmUp: number, requests: number, concurrency: number, bodyBytes: number): BareRun {
  const child = spawn(process.execPath, ['-e', CLIENT, url, String(warmUp), String(requests), String(concurrency), String(bodyBytes)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let announce: () => void;
  const measuring = new Promise<void>((resolve) => (announce = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('measuring\n')) announce();
  });
  const result = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`the bare HTTP client exited with ${String(code)}`);
    const last = output.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as { perSecond: number; cpuMs: number };
  });
  return { measuring, result };
}
