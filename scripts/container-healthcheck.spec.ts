import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'container-healthcheck.js');

/** The exit status of the image's HEALTHCHECK with this environment (and nothing else). */
function healthcheck(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'ignore' });
    child.once('close', (code) => resolve(code));
  });
}

// Each check starts a Node process: seconds apiece on a busy machine.
jest.setTimeout(30_000);

describe('container-healthcheck.js (the Dockerfile HEALTHCHECK)', () => {
  let server: Server;
  let port: number;
  let status = 200;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? status : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("checks the gateway's /health on GATEWAY_PORT: healthy on 2xx, unhealthy on 503 (draining)", async () => {
    status = 200;
    expect(await healthcheck({ APP: 'api-gateway', GATEWAY_PORT: String(port) })).toBe(0);
    status = 503;
    expect(await healthcheck({ APP: 'api-gateway', GATEWAY_PORT: String(port) })).toBe(1);
  });

  it('checks HEALTHCHECK_URL when a service sets one, and fails when nothing answers', async () => {
    status = 200;
    expect(await healthcheck({ APP: 'billing-worker', HEALTHCHECK_URL: `http://127.0.0.1:${port}/health` })).toBe(0);
    expect(await healthcheck({ APP: 'billing-worker', HEALTHCHECK_URL: `http://127.0.0.1:${port}/nope` })).toBe(1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await healthcheck({ APP: 'api-gateway', GATEWAY_PORT: String(closedPort) })).toBe(1);
  });

  it('is healthy while it runs for a process without an HTTP health endpoint', () => {
    expect(spawnSync(process.execPath, [SCRIPT], { env: { APP: 'delivery-worker' } }).status).toBe(0);
  });
});
