import type { NumberStatus } from './number-status';

/**
 * The events a customer's webhook endpoint can subscribe to: the ones this API sends, named as
 * the `@zernio/node` SDK names them (SPEC "Webhooks out"). The SDK lists more (posts, messages,
 * ...); those belong to other Zernio products and are refused on subscribe, so a customer never
 * waits for an event that cannot come.
 */
export const NUMBER_EVENT_TYPES = [
  'whatsapp.number.activated',
  'whatsapp.number.declined',
  'whatsapp.number.action_required',
  'whatsapp.number.kyc_submitted',
  'whatsapp.number.suspended',
  'whatsapp.number.reactivated',
  'whatsapp.number.released',
] as const;
export type NumberEventType = (typeof NUMBER_EVENT_TYPES)[number];

export const CALL_EVENT_TYPES = ['call.received', 'call.ended', 'call.failed', 'call.permission_request'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const STOCK_AVAILABLE_EVENT_TYPE = 'phone_number.stock_available';

export const SUBSCRIBABLE_EVENT_TYPES = [...NUMBER_EVENT_TYPES, ...CALL_EVENT_TYPES, STOCK_AVAILABLE_EVENT_TYPE] as const;
export type SubscribableEventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];

/** Sent only by `POST /v1/webhooks/test`, to the endpoint named, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';
export type CustomerEventType = SubscribableEventType | typeof TEST_EVENT_TYPE;

export function isSubscribableEventType(value: string): value is SubscribableEventType {
  return (SUBSCRIBABLE_EVENT_TYPES as readonly string[]).includes(value);
}

/** The account block of every event (the SDK's `InboxWebhookAccount` subset this API fills). */
export interface CustomerEventAccount {
  id: string;
  accountId: string;
  profileId: string | null;
}

/** The body of a `whatsapp.number.*` delivery. */
export interface NumberEventPayload {
  id: string;
  event: NumberEventType;
  phoneNumber: {
    id: string;
    phoneNumber: string | null;
    status: NumberStatus;
    country: string;
    profileId: string;
    regulatoryDeclineReason?: string;
  };
  account: CustomerEventAccount;
  /** When the change happened (ISO 8601); the same on every retry and redelivery. */
  timestamp: string;
}

/** The body of a `webhook.test` delivery (the SDK's `WebhookPayloadTest`). */
export interface TestEventPayload {
  id: string;
  event: typeof TEST_EVENT_TYPE;
  message: string;
  timestamp: string;
}

/** Any event body: `id`, `event` and `timestamp` are common to all. */
export type CustomerEventPayload =
  | NumberEventPayload
  | CallReceivedPayload
  | CallEndedPayload
  | CallFailedPayload
  | CallPermissionRequestPayload
  | StockAvailablePayload
  | TestEventPayload;

/**
 * The account block of call events: as in the SDK's `InboxWebhookAccount`, the WhatsApp account
 * is the business number (the calling API's `accountId` names the sending number).
 */
export interface CallEventAccount {
  id: string;
  accountId: string;
  profileId: string;
  platform: 'whatsapp';
  username: string;
}

interface CallEventCall {
  id: string;
  metaCallId: string | null;
  accountId: string;
  phoneNumberId: string | null;
  direction: 'outbound' | 'inbound';
  from: string;
  to: string;
}

/**
 * The body of a `call.received` delivery (the SDK's `WebhookPayloadCallReceived`): a consumer
 * called one of the account's numbers (`from` the consumer, `to` the business number).
 */
export interface CallReceivedPayload {
  id: string;
  event: 'call.received';
  call: CallEventCall & { forwardTo: string | null; startedAt: string };
  account: CallEventAccount;
  timestamp: string;
}

/** The body of a `call.ended` delivery (the SDK's `WebhookPayloadCallEnded`, without billing until call pricing exists). */
export interface CallEndedPayload {
  id: string;
  event: 'call.ended';
  call: CallEventCall & {
    startedAt: string;
    endedAt: string;
    durationSeconds: number;
    endReason: 'hangup' | 'no_answer' | 'rejected' | 'error';
    hangupCause: string | null;
    sipHangupCause: string | null;
  };
  account: CallEventAccount;
  timestamp: string;
}

/** The body of a `call.failed` delivery (the SDK's `WebhookPayloadCallFailed`). */
export interface CallFailedPayload {
  id: string;
  event: 'call.failed';
  call: CallEventCall & { failedAt: string; error: { code: number; message: string } };
  account: CallEventAccount;
  timestamp: string;
}

/** The body of a `call.permission_request` delivery (the SDK's `WebhookPayloadCallPermissionRequest`). */
export interface CallPermissionRequestPayload {
  id: string;
  event: 'call.permission_request';
  permission: {
    from: string;
    response: 'accept' | 'reject';
    isPermanent: boolean;
    expirationTimestamp?: string;
    responseSource: string;
  };
  account: CallEventAccount;
  timestamp: string;
}

/**
 * The body of a `phone_number.stock_available` delivery (the SDK's
 * `WebhookPayloadPhoneNumberStockAvailable`): a stock watch's country (type, area) has numbers
 * to sell again.
 */
export interface StockAvailablePayload {
  id: string;
  event: typeof STOCK_AVAILABLE_EVENT_TYPE;
  stock: {
    country: string;
    /** Only the types with stock, each with the numbers the carrier offered at sweep time. */
    types: Array<{ numberType: string; availableCount: number }>;
    /** Set when the watch named an area. */
    areaCode?: string;
    areaName?: string;
  };
  timestamp: string;
}
