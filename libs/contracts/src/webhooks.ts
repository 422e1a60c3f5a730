import { createHash } from 'node:crypto';
import type { JobName } from './jobs';

/**
 * Inbound webhooks: which providers send them, what one stored event looks like, where its id
 * and type come from, and which job (so which worker) processes it. Pure: the gateway uses it to
 * store an event once, the workers to read back the event they were handed.
 */

/** Mirrors the Prisma enum `Provider`. */
export const WEBHOOK_PROVIDERS = ['stripe', 'telnyx', 'meta'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export function isWebhookProvider(value: string): value is WebhookProvider {
  return (WEBHOOK_PROVIDERS as readonly string[]).includes(value);
}

/** A Stripe event, as `stripe.webhooks.constructEvent` returns it. */
export interface StripeEventPayload {
  id: string;
  type: string;
  object?: 'event';
  created?: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [key: string]: unknown;
}

/** The `data` of a Telnyx API v2 webhook (`{data, meta}`): the event itself. */
export interface TelnyxEventPayload {
  id: string;
  event_type: string;
  occurred_at?: string;
  record_type?: string;
  payload: Record<string, unknown>;
  [key: string]: unknown;
}

/** One change of a Meta webhook: `entry[].changes[]`, with the entry (WABA) id it came in. */
export interface MetaChangePayload {
  /** `object` of the delivery: `whatsapp_business_account`. */
  object: string;
  entryId: string;
  field: string;
  value: Record<string, unknown>;
}

export interface WebhookPayloads {
  stripe: StripeEventPayload;
  telnyx: TelnyxEventPayload;
  meta: MetaChangePayload;
}

/** One provider event found in a webhook body: the unit stored once and processed once. */
export interface WebhookEventRef<P extends WebhookProvider = WebhookProvider> {
  provider: P;
  /** The provider's own id (see `readWebhookEvents`): unique per provider. */
  eventId: string;
  eventType: string;
  payload: WebhookPayloads[P];
}

/** A verified body that is not the provider's webhook shape. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/**
 * The events of one verified webhook body, each with a stable id:
 * - Stripe: one event; id `event.id` (`evt_…`), type `event.type`.
 * - Telnyx: one event; id `data.id` (a UUID, the same across Telnyx's retries), type
 *   `data.event_type`.
 * - Meta: one event per `entry[].changes[]`; type `change.field` (`messages`, `calls`,
 *   `account_update`…). The id names what the change carries, so a redelivery (same body) or
 *   another batch carrying the same item finds the same id: `message:<wamid>` per inbound
 *   message, `status:<wamid>:<status>` per status (sent, delivered and read are three events),
 *   `call:<id>:<event>` per call event, joined by `,` when a change carries several. A change
 *   without any of these (account and template updates…) is `<field>:sha256:<hash of the entry
 *   id and the change>`; so is an id longer than 200 characters.
 * Throws `WebhookPayloadError` when the body does not have the provider's shape.
 */
export function readWebhookEvents<P extends WebhookProvider>(provider: P, body: unknown): WebhookEventRef<P>[] {
  switch (provider) {
    case 'stripe':
      return [readStripeEvent(body)] as WebhookEventRef<P>[];
    case 'telnyx':
      return [readTelnyxEvent(body)] as WebhookEventRef<P>[];
    case 'meta':
      return readMetaChanges(body) as WebhookEventRef<P>[];
    default:
      throw new WebhookPayloadError(`unknown provider ${String(provider)}`);
  }
}

/** One line of the routing table: these event types of this provider go to this job. */
export interface WebhookRoute {
  provider: WebhookProvider;
  eventTypes: readonly string[];
  job: WebhookJobName;
}

/**
 * Which stored events are processed, and by which job (so by which worker: its queue's owner in
 * `QUEUE_OWNER`). Providers send more than we act on (Stripe raises an event for every quantity
 * change and two for every charge); a type listed nowhere is still stored, as the record of what the provider
 * said, but marked `ignored` on arrival and costs no job. A worker refuses to boot when it
 * handles a type that is not routed to it (`webhookHandlerProblems` in @numbers/messaging), so
 * a new handler is a line here too. Events already stored keep the job they were given.
 */
export const WEBHOOK_ROUTES: readonly WebhookRoute[] = [
  {
    provider: 'stripe',
    eventTypes: ['checkout.session.completed', 'checkout.session.expired', 'invoice.paid', 'invoice.payment_failed', 'customer.subscription.deleted'],
    job: 'process-stripe-event',
  },
  { provider: 'telnyx', eventTypes: ['number_order.complete', 'message.received'], job: 'process-telnyx-event' },
  { provider: 'telnyx', eventTypes: ['requirement_group.status_updated'], job: 'process-telnyx-event' },
  { provider: 'telnyx', eventTypes: ['call.initiated', 'call.answered', 'call.hangup', 'call.recording.saved'], job: 'process-telnyx-call-event' },
  { provider: 'meta', eventTypes: ['messages', 'calls'], job: 'process-meta-event' },
];

const ROUTE_BY_TYPE = new Map(WEBHOOK_ROUTES.flatMap((route) => route.eventTypes.map((type) => [`${route.provider} ${type}`, route.job] as const)));

/** The job that processes a stored event of this type, or null: no worker acts on it. */
export function webhookJobFor(provider: WebhookProvider, eventType: string): WebhookJobName | null {
  return ROUTE_BY_TYPE.get(`${provider} ${eventType}`) ?? null;
}

/** The jobs that process stored webhook events; each takes `{ webhookEventId }`. */
export const WEBHOOK_JOB_NAMES = [
  'process-stripe-event',
  'process-telnyx-event',
  'process-telnyx-call-event',
  'process-meta-event',
] as const satisfies readonly JobName[];
export type WebhookJobName = (typeof WEBHOOK_JOB_NAMES)[number];

const MAX_ID_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function readStripeEvent(body: unknown): WebhookEventRef<'stripe'> {
  if (!isRecord(body) || !nonEmptyString(body['id']) || !nonEmptyString(body['type']) || !isRecord(body['data'])) {
    throw new WebhookPayloadError('not a Stripe event: id, type and data are required');
  }
  const event = body as StripeEventPayload;
  return { provider: 'stripe', eventId: event.id, eventType: event.type, payload: event };
}

function readTelnyxEvent(body: unknown): WebhookEventRef<'telnyx'> {
  const data = isRecord(body) ? body['data'] : undefined;
  if (!isRecord(data) || !nonEmptyString(data['id']) || !nonEmptyString(data['event_type'])) {
    throw new WebhookPayloadError('not a Telnyx event: data.id and data.event_type are required');
  }
  const event = { ...data, payload: isRecord(data['payload']) ? data['payload'] : {} } as TelnyxEventPayload;
  return { provider: 'telnyx', eventId: event.id, eventType: event.event_type, payload: event };
}

function readMetaChanges(body: unknown): WebhookEventRef<'meta'>[] {
  if (!isRecord(body) || !Array.isArray(body['entry'])) {
    throw new WebhookPayloadError('not a Meta webhook: entry[] is required');
  }
  const object = typeof body['object'] === 'string' ? body['object'] : '';
  const refs: WebhookEventRef<'meta'>[] = [];
  for (const entry of body['entry'] as unknown[]) {
    if (!isRecord(entry) || !Array.isArray(entry['changes'])) {
      throw new WebhookPayloadError('not a Meta webhook: every entry needs changes[]');
    }
    const entryId = String(entry['id'] ?? '');
    for (const change of entry['changes'] as unknown[]) {
      if (!isRecord(change) || !nonEmptyString(change['field'])) {
        throw new WebhookPayloadError('not a Meta webhook: every change needs a field');
      }
      const value = isRecord(change['value']) ? change['value'] : {};
      const payload: MetaChangePayload = { object, entryId, field: change['field'], value };
      refs.push({ provider: 'meta', eventId: metaChangeId(entryId, change, value), eventType: payload.field, payload });
    }
  }
  return refs;
}

function itemsOf(value: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const items = value[key];
  return Array.isArray(items) ? items.filter(isRecord) : [];
}

function metaChangeId(entryId: string, change: Record<string, unknown>, value: Record<string, unknown>): string {
  const field = String(change['field']);
  const parts = [
    ...itemsOf(value, 'messages').filter((m) => nonEmptyString(m['id'])).map((m) => `message:${m['id']}`),
    ...itemsOf(value, 'statuses').filter((s) => nonEmptyString(s['id'])).map((s) => `status:${s['id']}:${String(s['status'] ?? '')}`),
    ...itemsOf(value, 'calls').filter((c) => nonEmptyString(c['id'])).map((c) => `call:${c['id']}:${String(c['event'] ?? c['status'] ?? '')}`),
  ];
  const named = parts.join(',');
  if (named.length > 0 && named.length <= MAX_ID_LENGTH) return named;
  const hash = createHash('sha256').update(`${entryId}\n${JSON.stringify(change)}`).digest('hex');
  return `${field}:sha256:${hash}`;
}
