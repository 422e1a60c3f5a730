import { once } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a customer's endpoint received, and what it answered. */
export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  body: { id: string; event: string; [field: string]: unknown };
  status: number;
  at: Date;
}

/**
 * A customer's webhook endpoint, for tests: a real HTTP server on 127.0.0.1 that records every
 * request to any path. `answer(delivery, seenBefore)` picks the status (default 200);
 * `seenBefore` counts earlier requests with the same event id to the same path. `delayMs(delivery)`
 * holds the answer back (default 0); `maxInFlight(path)` is the most requests to a path that were
 * open at once.
 */
export interface CustomerWebhookReceiver {
  /** `http://127.0.0.1:<port>`: add a path per endpoint to tell them apart. */
  url: string;
  deliveries(path?: string): ReceivedDelivery[];
  answer: (delivery: Omit<ReceivedDelivery, 'status'>, seenBefore: number) => number;
  delayMs: (delivery: Omit<ReceivedDelivery, 'status'>) => number;
  maxInFlight(path: string): number;
  stop(): Promise<void>;
}

export async function startCustomerWebhookReceiver(): Promise<CustomerWebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const open = new Map<string, { now: number; max: number }>();
  const receiver: CustomerWebhookReceiver = {
    url: '',
    deliveries: (path) => received.filter((d) => path === undefined || d.path === path),
    answer: () => 200,
    delayMs: () => 0,
    maxInFlight: (path) => open.get(path)?.max ?? 0,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    const counter = open.get(path) ?? { now: 0, max: 0 };
    open.set(path, counter);
    counter.max = Math.max(counter.max, ++counter.now);
    response.on('close', () => counter.now--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const delivery = { path, headers: request.headers, rawBody, body: JSON.parse(rawBody.toString('utf8')) as ReceivedDelivery['body'], at: new Date() };
      const seenBefore = received.filter((d) => d.path === delivery.path && d.body.id === delivery.body.id).length;
      const status = receiver.answer(delivery, seenBefore);
      received.push({ ...delivery, status });
      setTimeout(() => response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now'), receiver.delayMs(delivery));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
