/**
 * WhatsApp's consent rules for business-initiated calls (SPEC "Calling"), as pure functions of
 * what we know about one (business number, consumer) pair. The I/O (rows, locks, Meta) is at
 * the edges: the gateway and the calling worker load a record, ask these, and write the answer.
 */

/** What the consumer last answered to a permission prompt; `refused` reads as no permission. */
export type StoredPermissionStatus = 'no_permission' | 'temporary' | 'permanent' | 'refused';

/** The statuses Meta's call-permission endpoint (and the SDK) show. */
export type PermissionStatus = 'no_permission' | 'temporary' | 'permanent';

export interface PermissionRecord {
  status: StoredPermissionStatus;
  /** When a temporary permission ends. */
  expiresAt: Date | null;
  /** The consumer's last message to the number: it opened a 24-hour customer-service window. */
  windowOpenedAt: Date | null;
  /** A connected call resets the prompt limits. */
  lastConnectedCallAt: Date | null;
  /** When the consumer gave the answer `status` holds. */
  decidedAt: Date | null;
}

const HOUR_MS = 60 * 60 * 1000;
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * HOUR_MS;
/** A temporary permission lasts 7 days unless Meta says otherwise. */
export const TEMPORARY_PERMISSION_MS = 7 * 24 * HOUR_MS;

/** Meta's prompt limits per business number and consumer; both restart after a connected call. */
export const PERMISSION_PROMPT_LIMITS = [
  { code: 'PERMISSION_REQUEST_DAILY_LIMIT', periodMs: 24 * HOUR_MS, max: 1, metaPeriod: 'PT24H' },
  { code: 'PERMISSION_REQUEST_WEEKLY_LIMIT', periodMs: 7 * 24 * HOUR_MS, max: 2, metaPeriod: 'P7D' },
] as const;

/** Meta's count of prompts in one of its limit periods (`GET /{id}/call_permissions`). */
export interface MetaPromptUsage {
  /** ISO 8601 duration, as Meta names the period: `PT24H`, `P7D`. */
  timePeriod: string;
  currentUsage: number;
}

/**
 * Whether a prompt whose sending was interrupted (Meta was asked; its answer was never recorded)
 * went out: Meta counts more prompts in one of its periods than the prompts we recorded as sent
 * in that period (`promptsSentAt`: sent ones only, not the interrupted one). Both counts start at
 * the later of the period start and the last connected call. Blind to a call that connected
 * after the prompt went out (Meta's counts restart from it): the caller documents that bound.
 */
export function interruptedPromptWentOut(metaUsage: readonly MetaPromptUsage[], promptsSentAt: readonly Date[], lastConnectedCallAt: Date | null, now: Date): boolean {
  const resetAt = lastConnectedCallAt?.getTime() ?? -Infinity;
  return PERMISSION_PROMPT_LIMITS.some((limit) => {
    const usage = metaUsage.find((u) => u.timePeriod === limit.metaPeriod);
    if (!usage) return false;
    const since = Math.max(now.getTime() - limit.periodMs, resetAt);
    return usage.currentUsage > promptsSentAt.filter((at) => at.getTime() > since).length;
  });
}

/** The most `bodyText` a prompt may carry. */
export const PERMISSION_PROMPT_BODY_MAX = 1024;

export const NO_PERMISSION_RECORD: PermissionRecord = {
  status: 'no_permission',
  expiresAt: null,
  windowOpenedAt: null,
  lastConnectedCallAt: null,
  decidedAt: null,
};

/** The permission as it stands at `now`: an expired temporary one, or a refusal, is none. */
export function effectivePermission(record: PermissionRecord | null, now: Date): { status: PermissionStatus; expiresAt: Date | null } {
  if (!record) return { status: 'no_permission', expiresAt: null };
  switch (record.status) {
    case 'permanent':
      return { status: 'permanent', expiresAt: null };
    case 'temporary':
      return record.expiresAt && record.expiresAt.getTime() > now.getTime()
        ? { status: 'temporary', expiresAt: record.expiresAt }
        : { status: 'no_permission', expiresAt: null };
    default:
      return { status: 'no_permission', expiresAt: null };
  }
}

export function canStartCall(record: PermissionRecord | null, now: Date): boolean {
  return effectivePermission(record, now).status !== 'no_permission';
}

/** Whether the consumer wrote to the number in the last 24 hours. */
export function isWindowOpen(record: PermissionRecord | null, now: Date): boolean {
  const opened = record?.windowOpenedAt;
  return !!opened && now.getTime() - opened.getTime() < CUSTOMER_SERVICE_WINDOW_MS;
}

export type PromptRefusalCode = 'CUSTOMER_SERVICE_WINDOW_CLOSED' | (typeof PERMISSION_PROMPT_LIMITS)[number]['code'];

export type PromptDecision =
  | { ok: true }
  | {
      ok: false;
      code: PromptRefusalCode;
      message: string;
      /** When asking again could succeed (a limit frees up); null: when the consumer writes. */
      retryAt: Date | null;
    };

/**
 * Whether a permission prompt may be sent now: inside an open customer-service window, and
 * under both of Meta's limits counting the prompts already sent (or accepted for sending) since
 * the last connected call. `promptsSentAt` are those prompts, in any order.
 */
export function decidePermissionPrompt(record: PermissionRecord | null, promptsSentAt: readonly Date[], now: Date): PromptDecision {
  if (!isWindowOpen(record, now)) {
    return {
      ok: false,
      code: 'CUSTOMER_SERVICE_WINDOW_CLOSED',
      message: 'The consumer has not written to this number in the last 24 hours: a permission request needs an open customer-service window',
      retryAt: null,
    };
  }
  const resetAt = record?.lastConnectedCallAt?.getTime() ?? -Infinity;
  for (const limit of PERMISSION_PROMPT_LIMITS) {
    const since = Math.max(now.getTime() - limit.periodMs, resetAt);
    const counted = promptsSentAt.map((at) => at.getTime()).filter((at) => at > since).sort((a, b) => a - b);
    if (counted.length >= limit.max) {
      // The oldest counted prompt leaves the period first.
      const retryAt = new Date(counted[counted.length - limit.max] + limit.periodMs);
      return {
        ok: false,
        code: limit.code,
        message:
          limit.max === 1
            ? 'A permission request was already sent to this consumer in the last 24 hours'
            : `${limit.max} permission requests were already sent to this consumer in the last 7 days`,
        retryAt,
      };
    }
  }
  return { ok: true };
}

/** A consumer's answer to a prompt, as Meta reports it. */
export interface PermissionReply {
  accepted: boolean;
  permanent: boolean;
  /** Meta's expiry of a temporary permission, when it gives one. */
  expiresAt: Date | null;
  /** When the consumer answered. */
  at: Date;
}

/**
 * The record after a reply: the newest answer wins, so replies delivered twice or out of order
 * end in the same state. A reply is also a message: it (re)opens the window.
 */
export function applyPermissionReply(record: PermissionRecord | null, reply: PermissionReply): PermissionRecord {
  const base = withWindowOpenedAt(record ?? NO_PERMISSION_RECORD, reply.at);
  if (base.decidedAt && base.decidedAt.getTime() >= reply.at.getTime()) return base;
  if (!reply.accepted) return { ...base, status: 'refused', expiresAt: null, decidedAt: reply.at };
  if (reply.permanent) return { ...base, status: 'permanent', expiresAt: null, decidedAt: reply.at };
  const expiresAt = reply.expiresAt ?? new Date(reply.at.getTime() + TEMPORARY_PERMISSION_MS);
  return { ...base, status: 'temporary', expiresAt, decidedAt: reply.at };
}

/** The record after the consumer wrote at `at`: the window runs from their latest message. */
export function withWindowOpenedAt(record: PermissionRecord, at: Date): PermissionRecord {
  if (record.windowOpenedAt && record.windowOpenedAt.getTime() >= at.getTime()) return record;
  return { ...record, windowOpenedAt: at };
}

export interface PermissionActions {
  permission: { status: PermissionStatus; expiration_time?: number };
  actions: { action_name: 'send_call_permission_request' | 'start_call'; can_perform_action: boolean }[];
}

/** What Meta's `GET /{phone-number-id}/call_permissions?user_wa_id=` answers, from our record. */
export function permissionActions(record: PermissionRecord | null, promptsSentAt: readonly Date[], now: Date): PermissionActions {
  const effective = effectivePermission(record, now);
  return {
    permission: {
      status: effective.status,
      ...(effective.expiresAt ? { expiration_time: Math.floor(effective.expiresAt.getTime() / 1000) } : {}),
    },
    actions: [
      { action_name: 'send_call_permission_request', can_perform_action: decidePermissionPrompt(record, promptsSentAt, now).ok },
      { action_name: 'start_call', can_perform_action: effective.status !== 'no_permission' },
    ],
  };
}
