import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { callDeepLink, DomainError, invalidParam, notFound } from '@numbers/domain';
import { CallingSettingsRepository, callingStatusOf, SipCredentialSealer, type CallingNumber, type CallingSettingsPatch } from '@numbers/persistence';
import { assertForwardToAllowed, type EnableCallingBody, type UpdateCallingBody } from './calling.params';

/** `GET /v1/phone-numbers/{id}/whatsapp/calling`: the SDK's shape, never a secret. */
export interface CallingSettingsView {
  phoneNumber: string | null;
  callingEnabled: boolean;
  /** Ours: where the number is on the way to `callingEnabled` (disabled, enabling, enabled, disabling, failed). */
  callingStatus: string;
  callingStatusDetail: string | null;
  callDeepLink: string | null;
  forwardTo: string | null;
  recordingEnabled: boolean;
  sipAuthUsername: string | null;
  sipAuthPasswordConfigured: boolean;
  callIconCountries: string[] | null;
  outboundDisabled: boolean;
  callerIdMode: 'business';
  callerIdVerified: boolean;
  maxCallDurationSeconds: number | null;
  forwardCallerId: 'business' | 'caller';
}

export interface EnableCallingAnswer {
  success: true;
  callingEnabled: boolean;
  callingStatus: string;
  sipHostname: string;
  forwardTo: string | null;
  callerIdMode: 'business';
}

/**
 * WhatsApp calling on a hosted number (SPEC "Calling"): the customer's settings and wish are
 * written here with the job that carries the wish out (`sync-whatsapp-calling` in the calling
 * worker: Meta's settings with SIP, the carrier's routing). `accountId`, where the SDK sends it,
 * names the same number as the path.
 */
@Injectable()
export class CallingSettingsService {
  constructor(
    private readonly numbers: CallingSettingsRepository,
    private readonly sealer: SipCredentialSealer,
    private readonly config: AppConfig,
  ) {}

  async get(accountId: string, numberId: string): Promise<CallingSettingsView> {
    return this.view(await this.numberOf(accountId, numberId));
  }

  async enable(accountId: string, numberId: string, body: EnableCallingBody): Promise<EnableCallingAnswer> {
    assertForwardToAllowed(body.forwardTo, this.config.calling.forwardAllowLoopback);
    const number = await this.numberOf(accountId, numberId, body.accountId);
    if (number.status !== 'active') {
      throw new DomainError('NUMBER_NOT_ACTIVE', `Calling can be enabled on an active number only; this one is ${number.status}`);
    }
    const saved = await this.numbers.request(number.id, true, this.patchOf(number.id, body));
    return {
      success: true,
      callingEnabled: saved.callingEnabled,
      callingStatus: saved.callingStatus,
      sipHostname: this.config.calling.sipHostname,
      forwardTo: saved.callingForwardTo,
      callerIdMode: 'business',
    };
  }

  async update(accountId: string, numberId: string, body: UpdateCallingBody): Promise<{ success: true } & CallingSettingsView> {
    assertForwardToAllowed(body.forwardTo, this.config.calling.forwardAllowLoopback);
    const number = await this.numberOf(accountId, numberId, body.accountId);
    if (!number.callingEnabled) throw new DomainError('CALLING_NOT_ENABLED', 'Calling is not enabled on this number: enable it first (POST)');
    const saved = await this.numbers.update(number.id, this.patchOf(number.id, body));
    return { success: true, ...this.view({ ...saved, outboundCallingAvailable: number.outboundCallingAvailable }) };
  }

  async disable(accountId: string, numberId: string, queryAccountId?: string): Promise<{ success: true; callingEnabled: false; callingStatus: string }> {
    const number = await this.numberOf(accountId, numberId, queryAccountId);
    const saved = await this.numbers.request(number.id, false, {});
    return { success: true, callingEnabled: false, callingStatus: saved.callingStatus };
  }

  /** The legacy read (`GET /v1/whatsapp/calling?accountId=`) also names the number record. */
  async getLegacy(accountId: string, numberId: string): Promise<CallingSettingsView & { phoneNumberDocId: string }> {
    return { phoneNumberDocId: numberId, ...(await this.get(accountId, numberId)) };
  }

  private async numberOf(accountId: string, numberId: string, bodyAccountId?: string): Promise<CallingNumber> {
    if (bodyAccountId !== undefined && bodyAccountId !== numberId) {
      throw invalidParam('accountId', 'accountId must name the same number as the path id');
    }
    const number = await this.numbers.findForAccount(accountId, numberId);
    if (!number) throw notFound('Phone number');
    return number;
  }

  private patchOf(numberId: string, body: EnableCallingBody | UpdateCallingBody): CallingSettingsPatch {
    const patch: CallingSettingsPatch = {};
    if (body.forwardTo !== undefined) patch.callingForwardTo = body.forwardTo;
    if (body.recordingEnabled !== undefined) patch.callingRecordingEnabled = body.recordingEnabled;
    if (body.callIconCountries !== undefined) patch.callingIconCountries = body.callIconCountries;
    if (body.maxCallDurationSeconds !== undefined) patch.callingMaxDurationSeconds = body.maxCallDurationSeconds;
    if (body.forwardCallerId !== undefined) patch.callingForwardCallerId = body.forwardCallerId;
    if (body.sipAuthUsername !== undefined) patch.forwardSipUsername = body.sipAuthUsername;
    if (body.sipAuthPassword !== undefined) {
      patch.forwardSipPasswordSealed = body.sipAuthPassword === null ? null : this.sealer.seal(body.sipAuthPassword, numberId);
    }
    return patch;
  }

  private view(number: CallingNumber): CallingSettingsView {
    const status = callingStatusOf(number);
    return {
      phoneNumber: number.phoneNumber,
      callingEnabled: number.callingEnabled,
      callingStatus: status,
      callingStatusDetail: status === 'failed' ? number.callingDetail : null,
      callDeepLink: number.callingEnabled && number.phoneNumber ? callDeepLink(number.phoneNumber) : null,
      forwardTo: number.callingForwardTo,
      recordingEnabled: number.callingRecordingEnabled,
      sipAuthUsername: number.forwardSipUsername,
      sipAuthPasswordConfigured: number.forwardSipPasswordSealed !== null,
      callIconCountries: Array.isArray(number.callingIconCountries) ? (number.callingIconCountries as string[]) : null,
      outboundDisabled: !number.outboundCallingAvailable,
      callerIdMode: 'business',
      // Our numbers are hosted: the business number itself is the caller id.
      callerIdVerified: true,
      maxCallDurationSeconds: number.callingMaxDurationSeconds,
      forwardCallerId: number.callingForwardCallerId === 'caller' ? 'caller' : 'business',
    };
  }
}

