import type { CallEndedPayload, CallEventAccount, CallFailedPayload, CallPermissionRequestPayload, CallReceivedPayload } from '@numbers/contracts';
import { callEndReason, isFinalCallStatus, type CallFacts, type CallStatus } from '../calling/call-state';
import type { PermissionRecord, PermissionReply } from '../calling/call-permission';
import { newId } from '../ids/ids';

/** The business number a call or a permission is on, as call events show it. */
export interface CallingNumberSubject {
  id: string;
  profileId: string;
  /** E.164; null only for a number that never got one (it cannot call). */
  phoneNumber: string | null;
  metaPhoneNumberId: string | null;
}

export interface CallSubject {
  id: string;
  direction: 'outbound' | 'inbound';
  /** The consumer: called, or (inbound) the caller. */
  to: string;
  metaCallId: string | null;
  /** When we accepted the call (the SDK's `startedAt`). */
  createdAt: Date;
  number: CallingNumberSubject;
}

export function callEventAccount(number: CallingNumberSubject): CallEventAccount {
  return { id: number.id, accountId: number.id, profileId: number.profileId, platform: 'whatsapp', username: number.phoneNumber ?? '' };
}

/** The call block every call event shares: `from` is who called (the business, or the consumer of an inbound call). */
function callBlock(call: CallSubject) {
  const business = call.number.phoneNumber ?? '';
  return {
    id: call.id,
    metaCallId: call.metaCallId,
    accountId: call.number.id,
    phoneNumberId: call.number.metaPhoneNumberId,
    direction: call.direction,
    from: call.direction === 'inbound' ? call.to : business,
    to: call.direction === 'inbound' ? business : call.to,
  };
}

/** `call.received`: a consumer's call reached the number (born once, with the inbound call's row). */
export function callReceivedEventOf(call: CallSubject, forwardTo: string | null, at: Date): CallReceivedPayload {
  return {
    id: newId(at),
    event: 'call.received',
    call: { ...callBlock(call), forwardTo, startedAt: call.createdAt.toISOString() },
    account: callEventAccount(call.number),
    timestamp: at.toISOString(),
  };
}

/**
 * The event of a call whose facts went from `before` to `after`: `call.ended` or `call.failed`
 * the first time the call reaches its final state, else null (a duplicate or late carrier
 * webhook, or a step short of the end).
 */
export function callEventOf(before: CallStatus, after: CallFacts, call: CallSubject, at: Date): CallEndedPayload | CallFailedPayload | null {
  if (isFinalCallStatus(before) || !isFinalCallStatus(after.status)) return null;
  const common = callBlock(call);
  const envelope = { id: newId(at), account: callEventAccount(call.number), timestamp: at.toISOString() };
  const endedAt = (after.endedAt ?? at).toISOString();
  if (after.status === 'failed') {
    return { ...envelope, event: 'call.failed', call: { ...common, failedAt: endedAt, error: { code: 0, message: after.hangupCause ?? 'the call could not be placed' } } };
  }
  return {
    ...envelope,
    event: 'call.ended',
    call: {
      ...common,
      startedAt: call.createdAt.toISOString(),
      endedAt,
      durationSeconds: after.durationSeconds ?? 0,
      endReason: callEndReason(after) ?? 'hangup',
      hangupCause: after.hangupCause,
      sipHangupCause: null,
    },
  };
}

/**
 * The `call.permission_request` event of a consumer's answer to a prompt, when it decided the
 * permission (`after` was decided at the reply's time and `before` was not): a duplicate or an
 * older answer delivered late sends nothing.
 */
export function permissionRequestEventOf(
  before: Pick<PermissionRecord, 'decidedAt'>,
  after: Pick<PermissionRecord, 'decidedAt' | 'expiresAt'>,
  reply: PermissionReply & { consumer: string; responseSource: string },
  number: CallingNumberSubject,
  at: Date,
): CallPermissionRequestPayload | null {
  const decidedNow = after.decidedAt?.getTime() === reply.at.getTime() && before.decidedAt?.getTime() !== reply.at.getTime();
  if (!decidedNow) return null;
  return {
    id: newId(at),
    event: 'call.permission_request',
    permission: {
      from: reply.consumer,
      response: reply.accepted ? 'accept' : 'reject',
      isPermanent: reply.accepted && reply.permanent,
      ...(reply.accepted && !reply.permanent && after.expiresAt ? { expirationTimestamp: after.expiresAt.toISOString() } : {}),
      responseSource: reply.responseSource,
    },
    account: callEventAccount(number),
    timestamp: at.toISOString(),
  };
}
