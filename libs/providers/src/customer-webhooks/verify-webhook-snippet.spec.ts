import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { deliveryHeaders } from '@numbers/domain';
import { WebhookSender } from './webhook-sender';

// The snippet receivers copy from docs/webhooks.md, run as it is written.
const SNIPPET = path.resolve(__dirname, '../../../../docs/snippets/verify-webhook.js');
const DOC = path.resolve(__dirname, '../../../../docs/webhooks.md');
const { verifyWebhook } = createRequire(__filename)(SNIPPET) as {
  verifyWebhook: (secret: string, headers: IncomingHttpHeaders, rawBody: string | Buffer, nowMs?: number) => boolean;
};

describe('docs/snippets/verify-webhook.js', () => {
  it('is shown verbatim in docs/webhooks.md', () => {
    expect(readFileSync(DOC, 'utf8')).toContain(`\`\`\`js\n${readFileSync(SNIPPET, 'utf8')}\`\`\``);
  });
});

describe('the documented verification against real deliveries', () => {
  const secret = 'whsec_receiver_test';
  const body = JSON.stringify({ id: 'evt_1', event: 'whatsapp.number.activated', phoneNumber: { id: 'num_1', status: 'active' }, timestamp: '2026-12-01T10:00:00Z' });
  let server: http.Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; rawBody: Buffer } | undefined;
  const sender = new WebhookSender({ timeoutMs: 2000, allowLoopback: true, requireHttps: false });

  beforeAll(async () => {
    // A receiver as the docs suggest: the raw bytes, verified before anything parses them.
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received = { headers: req.headers, rawBody: Buffer.concat(chunks) };
        res.writeHead(verifyWebhook(secret, req.headers, received.rawBody) ? 200 : 401).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zernio`;
  });

  afterAll(async () => {
    sender.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (options: { secret?: string; now?: Date; body?: string } = {}) =>
    sender.send({ url, body: options.body ?? body, headers: deliveryHeaders({ eventId: 'evt_1', secret: options.secret ?? secret, rawBody: body, now: options.now ?? new Date() }) });

  it('accepts a delivery signed with its secret', async () => {
    expect(await send()).toMatchObject({ ok: true, statusCode: 200 });
    expect(received?.headers['x-zernio-event-id']).toBe('evt_1');
  });

  it('rejects a delivery whose body was changed after signing', async () => {
    expect(await send({ body: body.replace('active', 'released') })).toMatchObject({ ok: false, statusCode: 401 });
  });

  it('rejects a delivery signed with another secret', async () => {
    expect(await send({ secret: 'whsec_someone_else' })).toMatchObject({ ok: false, statusCode: 401 });
  });

  it('rejects a delivery signed more than 5 minutes ago (a replay), and takes one signed 4 minutes ago', async () => {
    expect(await send({ now: new Date(Date.now() - 6 * 60_000) })).toMatchObject({ ok: false, statusCode: 401 });
    expect(await send({ now: new Date(Date.now() - 4 * 60_000) })).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('rejects a delivery with the signature or the timestamp missing', () => {
    const headers = deliveryHeaders({ eventId: 'evt_1', secret, rawBody: body, now: new Date() });
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    expect(verifyWebhook(secret, lower, body)).toBe(true);
    expect(verifyWebhook(secret, { ...lower, 'x-zernio-signature': undefined }, body)).toBe(false);
    expect(verifyWebhook(secret, { ...lower, 'x-zernio-timestamp': undefined }, body)).toBe(false);
  });
});
