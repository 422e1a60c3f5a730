// Whatever a client sends, malformed or oversized, the answer is in the API's error shape with an
// X-Request-Id: requests refused by Node's HTTP parser and Fastify's router included. Sent over a
// real socket, since most of them cannot be built with an HTTP client.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { seedAccount, startGatewayForTest, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';

jest.setTimeout(120_000);

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let ctx: GatewayTestContext;
let port: number;
let account: SeededAccount;

beforeAll(async () => {
  ctx = await startGatewayForTest();
  account = await seedAccount(ctx.database);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.getHttpServer().address() as AddressInfo).port;
});

afterAll(async () => {
  await ctx?.close();
});

/** Sends bytes as they are and reads the answer until the server closes the connection. */
function send(raw: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may answer and close before it has read everything we sent.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      try {
        resolve(parse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    // Not ended: a half-closed socket may be closed by the server before it answers; every request says Connection: close.
    socket.write(raw);
  });
}

function parse(response: Buffer): RawResponse {
  const text = response.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function unchunk(body: string): string {
  let out = '';
  for (let at = 0; ; ) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, lineEnd), 16);
    if (!size) return out;
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function request(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const all = { host: '127.0.0.1', connection: 'close', ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
}

/** Every error answer: JSON `{error, code}` (exactly `{"error":"Unauthorized"}` for a 401) and an X-Request-Id. */
function expectApiError(label: string, res: RawResponse, status?: number): void {
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = res.body;
  }
  const shape = res.status === 401 ? { error: 'Unauthorized' } : { error: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) };
  expect({ label, status: res.status, body, requestId: res.headers['x-request-id'] }).toEqual({
    label,
    status: status ?? expect.any(Number),
    body: res.status === 401 ? shape : expect.objectContaining(shape),
    requestId: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/),
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

const LIST = '/v1/whatsapp/phone-numbers';

describe("Fastify's and Node's own refusals", () => {
  it('answer in the API shape with X-Request-Id', async () => {
    const bearer = { authorization: account.bearer };
    const cases: Array<[label: string, raw: string | Buffer, status: number]> = [
      ['bad percent-encoding', request('GET', '/v1/%zz', bearer), 400],
      ['truncated percent-encoding', request('GET', `${LIST}/%E0%A4%A`, bearer), 400],
      ['path parameter over its length', request('GET', `${LIST}/${'a'.repeat(200)}`, bearer), 414],
      ['request line too long', request('GET', `/v1/${'a'.repeat(20_000)}`, bearer), 431],
      ['header too large', request('GET', LIST, { ...bearer, 'x-big': 'a'.repeat(20_000) }), 431],
      ['header without a name', `GET ${LIST} HTTP/1.1\r\nhost: x\r\n: nameless\r\n\r\n`, 400],
      ['not HTTP at all', 'HELLO\r\n\r\n', 400],
      ['unknown method', request('BREW', LIST, bearer), 400],
      ['malformed JSON', request('POST', `${LIST}/kyc/validate-address`, { ...bearer, 'content-type': 'application/json' }, '{"country":'), 400],
      ['empty JSON body', request('POST', `${LIST}/kyc/validate-address`, { ...bearer, 'content-type': 'application/json', 'content-length': '0' }), 400],
      ['unsupported content type', request('POST', `${LIST}/kyc/validate-address`, { ...bearer, 'content-type': 'text/xml' }, '<a/>'), 415],
      ['body shorter than its Content-Length', `POST ${LIST}/kyc/validate-address HTTP/1.1\r\nhost: x\r\nauthorization: ${account.bearer}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n`, 400],
    ];
    for (const [label, raw, status] of cases) expectApiError(label, await send(raw), status);
  });

  it('fuzzed paths, headers and bodies all answer in the API shape', async () => {
    // Deterministic: the same requests on every run.
    let seed = 12;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const pieces = ['%', '%z', '%zz', '%e0%a4%a', '%00', '%2F', '%ff%fe', '..', '.', 'phone-numbers', 'whatsapp', 'kyc', '~', ';', '!', "'", '(', '*', 'é', 'a'.repeat(150), '6745a1b2c3d4e5f6a7b8c9d1', ''];
    const bases = ['/v1', LIST, `${LIST}/kyc`, '/webhooks', '/health', '/docs', '/checkout', ''];
    const contentTypes = ['application/json', 'text/plain', 'application/pdf', 'multipart/form-data', 'application/x-www-form-urlencoded', 'image/png; charset=x', '', '*/*'];
    const bodies = ['', '{', '{}', '[]', 'null', '"x"', '{"__proto__":{"a":1}}', '{"constructor":{"prototype":{}}}', 'x'.repeat(20_000), '%PDF-1.4'];
    for (let i = 0; i < 300; i++) {
      const path = `${pick(bases)}/${Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pieces)).join('/')}${random() < 0.3 ? `?${pick(pieces)}=${pick(pieces)}` : ''}`;
      const method = pick(['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS']);
      const headers: Record<string, string> = {};
      if (random() < 0.5) headers['authorization'] = account.bearer;
      if (random() < 0.2) headers['x-pad'] = 'p'.repeat(Math.floor(random() * 24_000));
      if (random() < 0.2) headers['x-request-id'] = pick(['trace-1', 'bad id', '-x', 'y'.repeat(200)]);
      const contentType = pick(contentTypes);
      if (contentType) headers['content-type'] = contentType;
      const body = method === 'GET' ? '' : pick(bodies);
      const label = `${method} ${path} ${JSON.stringify(headers).slice(0, 120)} ${body.slice(0, 40)}`;
      const res = await send(request(method, path, headers, body)).catch((error: Error) => { throw new Error(`${label}: ${error.message}`); });
      if (res.status >= 400) expectApiError(label, res);
      else expect({ label, requestId: res.headers['x-request-id'] }).toEqual({ label, requestId: expect.any(String) });
    }
  });
});
