import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { canStartCall, DomainError, effectivePermission, newId } from '@numbers/domain';
import { callingStatusOf, CallPermissionRepository, CallRepository, type Caller } from '@numbers/persistence';
import type { Answer } from '../idempotency/idempotent-requests';
import { CallAdmission } from './call-admission';
import { assertForwardToAllowed, type InitiateCallBody } from './calling.params';

export interface InitiatedCall {
  success: true;
  callId: string;
  /** The carrier's id of the call: it exists once the calling worker dialed, so null in this answer. */
  telnyxCallControlId: string | null;
  status: 'dialing';
  direction: 'outbound';
  to: string;
  forwardTo: string | null;
  recordingEnabled: boolean;
}

export interface PromptAccepted {
  success: true;
  action: 'send_call_permission_request';
  promptId: string;
  /** The calling worker sends it to Meta now. */
  status: 'queued';
  to: string;
}

/**
 * `POST /v1/whatsapp/calls` (SPEC "Calling"). A call: the number must be active with calling
 * enabled and the consumer must have allowed calls (else 422 `CALL_PERMISSION_REQUIRED`); the
 * call is written `dialing` with its `place-call` job and answered at once, unless the calling
 * queue is too far behind to dial it in time (503 `CALLS_BUSY`, `CallAdmission`). The permission prompt
 * (`action: send_call_permission_request`): Meta's rules are checked under the consumer's row
 * lock, so concurrent requests see each other's prompts, and the prompt is counted and queued in
 * the same transaction, before Meta is asked (`CallPermissionRepository.queuePrompt`).
 */
@Injectable()
export class InitiateCallUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly permissions: CallPermissionRepository,
    private readonly config: AppConfig,
    private readonly admission: CallAdmission,
  ) {}

  async execute(accountId: string, body: InitiateCallBody): Promise<Answer<InitiatedCall | PromptAccepted>> {
    assertForwardToAllowed(body.forwardTo, this.config.calling.forwardAllowLoopback);
    // Refused before anything is read or written: a call that cannot be dialed in time is not taken.
    if (body.action !== 'send_call_permission_request') await this.admission.assertAdmits();
    // One read: the number, its country's rule and the consumer's permission.
    const caller = await this.calls.findCaller(accountId, body.accountId, body.to);
    if (!caller) throw new DomainError('NOT_FOUND', 'Phone number not found', { param: 'accountId' });
    assertCanCall(caller);
    return body.action === 'send_call_permission_request'
      ? { status: 200, body: await this.sendPrompt(caller, body.to, body.bodyText ?? null) }
      : { status: 200, body: await this.startCall(caller, body) };
  }

  private async startCall(number: Caller, body: InitiateCallBody): Promise<InitiatedCall> {
    if (!number.outboundCallingAvailable) {
      throw new DomainError('OUTBOUND_CALLING_UNAVAILABLE', `WhatsApp does not allow business-initiated calls from ${number.country} numbers`);
    }
    const now = new Date();
    const permission = number.permission;
    if (!canStartCall(permission, now)) {
      throw new DomainError('CALL_PERMISSION_REQUIRED', 'The consumer has not allowed calls from this number: send a call permission request first', {
        param: 'to',
        details: { permission: effectivePermission(permission, now).status },
      });
    }
    const call = {
      id: newId(now),
      accountId: number.accountId,
      numberId: number.id,
      fromNumber: number.phoneNumber ?? '',
      to: body.to,
      forwardTo: body.forwardTo ?? number.callingForwardTo,
      recordingEnabled: body.recordOverride ?? number.callingRecordingEnabled,
      createdAt: now,
    };
    await this.calls.createWithDialJob(call);
    return {
      success: true,
      callId: call.id,
      telnyxCallControlId: null,
      status: 'dialing',
      direction: 'outbound',
      to: call.to,
      forwardTo: call.forwardTo,
      recordingEnabled: call.recordingEnabled,
    };
  }

  private async sendPrompt(number: Caller, consumer: string, bodyText: string | null): Promise<PromptAccepted> {
    const now = new Date();
    const promptId = newId(now);
    const decision = await this.permissions.queuePrompt({ id: promptId, numberId: number.id, consumer, bodyText, sentAt: now });
    if (!decision.ok) {
      throw new DomainError(decision.code, decision.message, {
        param: 'to',
        ...(decision.retryAt ? { details: { retryAt: decision.retryAt.toISOString() } } : {}),
      });
    }
    return { success: true, action: 'send_call_permission_request', promptId, status: 'queued', to: consumer };
  }
}

/** An active number whose calling is enabled: anything else cannot call (or prompt) now. */
function assertCanCall(number: Caller): void {
  if (number.status !== 'active') {
    throw new DomainError('NUMBER_NOT_ACTIVE', `The number is ${number.status}: only an active number can call`, { param: 'accountId' });
  }
  const status = callingStatusOf(number);
  if (status === 'enabled') return;
  if (status === 'enabling') throw new DomainError('CALLING_NOT_READY', 'Calling is being enabled on this number: retry shortly', { param: 'accountId' });
  const why = status === 'failed' && number.callingDetail ? ` (${number.callingDetail})` : '';
  throw new DomainError('CALLING_NOT_ENABLED', `Calling is not enabled on this number${why}`, { param: 'accountId' });
}
