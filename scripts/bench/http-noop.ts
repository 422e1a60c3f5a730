import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../lib/local-env';
import { measureBareRate, THIS_PROCESS, type BareRate } from './bare-rate';

// A bare Fastify server in its own Node process: answers every POST with a small JSON body.
const SERVER = `
const app = require('fastify')();
app.post('/', async () => ({ received: true }));
app.listen({ port: 0, host: '127.0.0.1' }).then(() => process.stdout.write(app.server.address().port + '\\n'));
`;

/**
 * HTTP exchanges between two Node processes on this machine: `fetch` with `concurrency` requests
 * in flight against a bare Fastify server, each a small JSON POST like a webhook or a provider
 * call; CPU of both processes. The floor under every provider call and webhook of the pipeline:
 * no work, no framework, no database.
 */
export async function httpNoop(requests: number, concurrency: number): Promise<BareRate> {
  const server = spawn(process.execPath, ['-e', SERVER], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    const url = `http://127.0.0.1:${chunk.toString().trim()}/`;
    const body = JSON.stringify({ data: { event_type: 'noop', payload: { id: 'x'.repeat(32) } } });
    const post = async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
    };
    for (let i = 0; i < 200; i += 1) await post();
    let next = 0;
    return await measureBareRate(requests, [THIS_PROCESS, { name: 'server', pids: () => (server.pid === undefined ? [] : [server.pid]) }], async () => {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < requests) {
            next += 1;
            await post();
          }
        }),
      );
    });
  } finally {
    server.kill();
  }
}
