import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveFetch } from './keep-alive-fetch';

/** A real HTTP server on a free port: echoes what it received, or answers as the path says. */
let server: http.Server;
let base: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    sockets.add(request.socket);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/empty') response.writeHead(204).end();
      else if (request.url === '/slow') setTimeout(() => response.end('late'), 2000).unref();
      else {
        response.writeHead(201, [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
        response.end(JSON.stringify({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString() }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

interface Echo {
  method: string;
  headers: Record<string, string>;
  body: string;
}

describe('keepAliveFetch', () => {
  it('sends the method, headers and body, and answers with the status, headers and body as a Response', async () => {
    const response = await keepAliveFetch(`${base}/echo`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"a":"é"}' });
    expect([response.status, response.ok, response.headers.get('content-type'), response.headers.get('set-cookie')]).toEqual([201, true, 'application/json', 'a=1, b=2']);
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({ method: 'POST', body: '{"a":"é"}', headers: { authorization: 'Bearer k', 'content-length': String(Buffer.byteLength('{"a":"é"}')) } });
    expect(echo.headers['accept-encoding']).toBeUndefined();
  });

  it('keeps the connection for the next call', async () => {
    sockets.clear();
    for (let i = 0; i < 3; i++) await (await keepAliveFetch(`${base}/echo`, { headers: new Headers({ accept: 'application/json' }) })).text();
    expect(sockets.size).toBe(1);
  });

  it('answers a 204 with no body', async () => {
    const response = await keepAliveFetch(`${base}/empty`, { method: 'DELETE' });
    expect([response.status, response.body, await response.text()]).toEqual([204, null, '']);
  });

  it("rejects with the signal's reason when aborted, as the global fetch does", async () => {
    const error = await keepAliveFetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with a TypeError when nothing answers', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const error = await keepAliveFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('hands a form to the global fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    const echo = (await (await keepAliveFetch(`${base}/echo`, { method: 'POST', body: form })).json()) as Echo;
    expect(echo.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(echo.body).toContain('filename="x.txt"');
  });
});
