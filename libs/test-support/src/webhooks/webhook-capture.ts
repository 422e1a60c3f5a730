import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JOBS, readWebhookEvents, type JobName, type QueueName, type WebhookEventRef, type WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';

/**
 * Stands in for the gateway's `/webhooks/{provider}` in a worker's integration tests: the
 * provider simulator sends its signed webhooks here (SIMULATOR_WEBHOOK_TARGET), every delivery
 * answers 200, and the tests hand the events to the per-type handlers themselves.
 */
export interface WebhookCapture {
  url: string;
  /** Every event received so far, in arrival order. */
  events<P extends WebhookProvider>(provider: P, eventType?: string): WebhookEventRef<P>[];
  /** The first event that matches, waiting for it to arrive. */
  next<P extends WebhookProvider>(provider: P, match: (event: WebhookEventRef<P>) => boolean, timeoutMs?: number): Promise<WebhookEventRef<P>>;
  stop(): Promise<void>;
}

export async function startWebhookCapture(): Promise<WebhookCapture> {
  const received: WebhookEventRef[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const provider = request.url?.split('/').pop() as WebhookProvider;
      try {
        received.push(...readWebhookEvents(provider, JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch {
        // Not a provider event: nothing to keep.
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const events = <P extends WebhookProvider>(provider: P, eventType?: string) =>
    received.filter((e): e is WebhookEventRef<P> => e.provider === provider && (eventType === undefined || e.eventType === eventType));
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    async next(provider, match, timeoutMs = 10_000) {
      for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
        const found = events(provider).find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no matching ${provider} webhook within ${timeoutMs} ms (received: ${received.map((e) => e.eventType).join(', ')})`);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The event as the webhook processor hands it to a per-type handler. */
// Shaped like @numbers/messaging's StoredWebhookEvent and JobContext (structurally): test-support
// may not depend on messaging, which depends on persistence, whose tests use test-support.
export function storedEvent<P extends WebhookProvider>(ref: WebhookEventRef<P>): WebhookEventRef<P> & { webhookEventId: string; receivedAt: Date } {
  return { ...ref, webhookEventId: newId(), receivedAt: new Date() };
}

/** The job context of a `process-*-event` job (`jobId` as `<job name>.<n>`), for handler calls in tests. */
export function eventJob(jobId: string, attempt = 1): { jobId: string; name: JobName; queue: QueueName; attempt: number; maxAttempts: number } {
  const name = jobId.slice(0, jobId.lastIndexOf('.')) as JobName;
  return { jobId, name, queue: JOBS[name].queue, attempt, maxAttempts: 10 };
}
