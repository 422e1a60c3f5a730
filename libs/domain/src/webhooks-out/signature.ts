import { createHmac, randomBytes } from 'node:crypto';

/** The headers every delivery carries (SPEC "Webhooks out"); an endpoint's custom headers never replace them. */
export const WEBHOOK_EVENT_ID_HEADER = 'X-Zernio-Event-Id';
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Zernio-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-Zernio-Signature';

/**
 * Headers an endpoint's custom headers may not set: ours, and those that frame the request
 * (a wrong Content-Length or Host would break or misroute every delivery to it).
 */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'host']);

export function isReservedDeliveryHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith('x-zernio-');
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<rawBody>")>`: what X-Zernio-Signature carries. */
export function signPayload(secret: string, timestampSeconds: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex')}`;
}

export interface DeliveryHeadersInput {
  /** The event's id, the same on every attempt and redelivery. */
  eventId: string;
  secret: string;
  /** The body exactly as it is sent: the signature covers these bytes. */
  rawBody: string;
  /** When this attempt is made: each attempt is signed afresh, so a receiver's 5-minute window holds for retries. */
  now: Date;
  customHeaders?: Record<string, string> | null;
}

/** The headers of one delivery attempt: the endpoint's custom headers, then ours, which win. */
export function deliveryHeaders({ eventId, secret, rawBody, now, customHeaders }: DeliveryHeadersInput): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const custom = Object.entries(customHeaders ?? {}).filter(([name]) => !isReservedDeliveryHeader(name));
  return {
    ...Object.fromEntries(custom),
    'content-type': 'application/json',
    [WEBHOOK_EVENT_ID_HEADER]: eventId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signPayload(secret, timestamp, rawBody),
  };
}

/** A new endpoint secret when the customer brings none: 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
