import { JOBS, QUEUE_OWNER, webhookJobFor, type WebhookProvider, type WorkerApp } from '@numbers/contracts';

export interface DiscoveredWebhookHandler {
  provider: WebhookProvider;
  eventType: string;
  className: string;
}

/**
 * Everything wrong with a worker's per-type webhook handlers, one sentence each: a type handled
 * twice, a type no route sends to any worker (`WEBHOOK_ROUTES`: such events are stored ignored),
 * or one handled in a worker that never receives it (its job's queue belongs to another app).
 * Empty means the app may boot.
 */
export function webhookHandlerProblems(app: WorkerApp, handlers: DiscoveredWebhookHandler[]): string[] {
  const problems: string[] = [];
  const byType = new Map<string, DiscoveredWebhookHandler[]>();
  for (const h of handlers) {
    const key = `${h.provider} "${h.eventType}"`;
    byType.set(key, [...(byType.get(key) ?? []), h]);
    const job = webhookJobFor(h.provider, h.eventType);
    if (!job) {
      problems.push(`${h.className} handles ${key}, which no route in WEBHOOK_ROUTES sends to a worker`);
      continue;
    }
    const owner = QUEUE_OWNER[JOBS[job].queue];
    if (owner !== app) {
      problems.push(`${h.className} handles ${key}, which ${job} processes in ${owner}`);
    }
  }
  for (const [key, found] of byType) {
    if (found.length > 1) problems.push(`${key} has ${found.length} handlers: ${found.map((h) => h.className).join(', ')}`);
  }
  return problems;
}
