import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BODY_BYTES, WebhookSender, type WebhookSenderOptions } from './webhook-sender';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 answering with `handler`; it records every request it got. */
async function startReceiver(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = '/hook', host = '127.0.0.1') => `http://${host}:${port}${path}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('WebhookSender against real HTTP receivers', () => {
  const local: WebhookSenderOptions = { timeoutMs: 2000, allowLoopback: true, requireHttps: false };
  const senders: WebhookSender[] = [];
  const receivers: Receiver[] = [];
  const sender = (options: Partial<WebhookSenderOptions> = {}) => {
    const created = new WebhookSender({ ...local, ...options });
    senders.push(created);
    return created;
  };
  const receiver = async (handler: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(handler);
    receivers.push(started);
    return started;
  };
  const delivery = (url: string) => ({ url, headers: { 'content-type': 'application/json', 'X-Zernio-Event-Id': 'evt_1' }, body: '{"id":"evt_1","event":"webhook.test"}' });

  afterEach(async () => {
    for (const s of senders.splice(0)) s.onModuleDestroy();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('POSTs the body and headers as given, and a 2xx is a success with its body', async () => {
    const target = await receiver((_req, res) => res.writeHead(202).end('accepted'));
    const outcome = await sender().send(delivery(target.url('/in?x=1')));
    expect(outcome).toMatchObject({ ok: true, statusCode: 202, responseBody: 'accepted', error: null });
    expect(outcome.responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(target.received).toHaveLength(1);
    expect(target.received[0]).toMatchObject({ method: 'POST', url: '/in?x=1', body: '{"id":"evt_1","event":"webhook.test"}' });
    expect(target.received[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-zernio-event-id': 'evt_1', 'content-length': '37' });
  });

  it('reports a 500 as a failure with its status and body', async () => {
    const target = await receiver((_req, res) => res.writeHead(500).end('{"error":"boom"}'));
    expect(await sender().send(delivery(target.url()))).toMatchObject({ ok: false, statusCode: 500, responseBody: '{"error":"boom"}', error: 'HTTP 500' });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const target = await receiver(() => undefined);
    const outcome = await sender({ timeoutMs: 300 }).send(delivery(target.url()));
    expect(outcome).toMatchObject({ ok: false, statusCode: null, responseBody: null, error: 'timeout after 300 ms' });
    expect(outcome.responseTimeMs).toBeGreaterThanOrEqual(290);
    expect(outcome.responseTimeMs).toBeLessThan(1500);
  });

  it('counts the body within the timeout: a 200 whose body never ends is a timeout', async () => {
    const target = await receiver((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    expect(await sender({ timeoutMs: 300 }).send(delivery(target.url()))).toMatchObject({ ok: false, statusCode: 200, responseBody: 'partial', error: 'timeout after 300 ms' });
  });

  it('does not follow a redirect: a 302 is a failure with its status', async () => {
    const target = await receiver((req, res) => {
      if (req.url === '/hook') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(200).end('followed');
    });
    expect(await sender().send(delivery(target.url()))).toMatchObject({ ok: false, statusCode: 302, error: 'HTTP 302: redirects are not followed' });
    expect(target.received.map((r) => r.url)).toEqual(['/hook']);
  });

  it('reads 64 KB of a 1 MB response and drops the rest', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end('x'.repeat(1024 * 1024)));
    const outcome = await sender().send(delivery(target.url()));
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(outcome.responseBody).toHaveLength(MAX_RESPONSE_BODY_BYTES);
  });

  it('reports a refused connection', async () => {
    const target = await receiver((_req, res) => res.end());
    const url = target.url();
    await target.close();
    expect(await sender().send(delivery(url))).toMatchObject({ ok: false, statusCode: null, error: 'connection refused' });
  });

  it('refuses a host name that resolves to loopback unless loopback is allowed, without connecting', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end('ok'));
    const refused = await sender({ allowLoopback: false }).send(delivery(target.url('/hook', 'localhost')));
    expect(refused).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/) });
    expect(target.received).toHaveLength(0);

    expect(await sender({ allowLoopback: true }).send(delivery(target.url('/hook', 'localhost')))).toMatchObject({ ok: true, statusCode: 200 });
    expect(target.received).toHaveLength(1);
  });

  it('refuses a loopback IP literal unless allowed, and a private one even with loopback allowed', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end('ok'));
    expect(await sender({ allowLoopback: false }).send(delivery(target.url()))).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1 \(loopback\)/) });
    // 10.0.0.1 would not answer at all: the refusal is immediate, not a timeout.
    const outcome = await sender({ allowLoopback: true, timeoutMs: 5000 }).send(delivery(`http://10.0.0.1:${target.port}/hook`));
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'url points to 10.0.0.1 (private): webhooks go to public addresses only' });
    expect(outcome.responseTimeMs).toBeLessThan(100);
    expect(target.received).toHaveLength(0);
  });

  it('refuses http when https is required', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end());
    expect(await sender({ requireHttps: true }).send(delivery(target.url()))).toMatchObject({ ok: false, error: 'url must use https, not http' });
    expect(target.received).toHaveLength(0);
  });

  it('turns a header Node refuses into a failure, without the value', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end());
    const outcome = await sender().send({ ...delivery(target.url()), headers: { 'X-Token': 'secret\r\nInjected: 1' } });
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome.error).toContain('X-Token');
    expect(outcome.error).not.toContain('secret');
  });

  it('reuses a kept-alive connection for the next delivery to the same receiver', async () => {
    const sockets = new Set<unknown>();
    const target = await receiver((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200).end();
    });
    const s = sender();
    for (let i = 0; i < 3; i += 1) expect((await s.send(delivery(target.url()))).ok).toBe(true);
    expect(sockets.size).toBe(1);
  });
});
