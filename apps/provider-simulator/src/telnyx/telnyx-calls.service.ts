import { randomUUID } from 'node:crypto';
import type { MetaCalling } from '../meta/meta-calling.service';
import type { SimulatorLinks } from '../shared/simulator-links';
import { DEFAULT_CALL_SCRIPT, type CallScript, type TelnyxCallRecord, type TelnyxCallStore } from '../state/telnyx-call.store';
import { callHasEnded, invalidCommand, type AnswerInput, type DialInput, type IncomingCallInput, type TransferInput } from './telnyx-call.inputs';
import { telnyxNotFound } from './telnyx-errors';
import type { WebhookAttempt } from '../webhooks/webhook.deliverer';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';

/** How long a recording's signed download URL stays valid (Telnyx's: 10 minutes). */
const RECORDING_URL_TTL_MS = 10 * 60_000;

/** The consumer of a SIP URI to Meta (`sip:+<wa_id>@wa.meta.vc;transport=tls`), or null for any other destination. */
export function whatsappConsumerOf(to: string): string | null {
  const match = /^sip:\+?(\d{7,15})@wa\.meta\.vc(?::\d+)?(;.*)?$/i.exec(to.trim());
  return match ? match[1] : null;
}

const SIP_CAUSES: Record<string, string> = { normal_clearing: '200', user_busy: '486', no_answer: '480', call_rejected: '403', unspecified: '500' };

/**
 * Telnyx Call Control's `POST /v2/calls` (dial) and what follows: the call plays its script
 * (answered after `ringMs`, hung up after `talkMs`; busy; no answer; failed) and each step is a
 * signed webhook, `call.initiated`, `call.answered`, `call.hangup` (with `hangup_cause`,
 * `start_time`, `end_time`), carrying the dial's `client_state`. A call to WhatsApp
 * (`wa.meta.vc`) must pass Meta's check (TLS, calling on, digest credentials, permission), or it
 * is rejected (`call_rejected`). A second dial with the same `command_id` answers the first call.
 *
 * A consumer's call (`receive`, from Meta) arrives as an incoming leg (`call.initiated`, direction
 * `incoming`) that waits for Call Control: `answer` (optionally recording from the answer),
 * `transfer` (a new outgoing leg to the destination, joined to the first once answered; a leg that
 * fails leaves the first up, as Telnyx does), `reject`, `hangup`. A command id seen on the call
 * before does nothing; a command on an ended call is Telnyx's 422 `90018`. A recorded call that
 * was answered sends `call.recording.saved` after its hang-up, with a signed, short-lived URL.
 */
export class TelnyxCalls {
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly held = new Map<string, ((attempt: WebhookAttempt) => unknown)[]>();

  constructor(
    private readonly store: TelnyxCallStore,
    private readonly meta: MetaCalling,
    private readonly dispatcher: WebhookDispatcher,
    private readonly links: SimulatorLinks,
  ) {}

  dial(input: DialInput): TelnyxCallRecord {
    if (input.commandId) {
      const existing = this.store.byCommand(input.connectionId, input.commandId);
      if (existing) return existing;
    }
    const consumer = whatsappConsumerOf(input.to);
    let rejectedBecause: string | null = null;
    if (consumer) {
      const tls = (input.sipTransportProtocol ?? '').toUpperCase() === 'TLS' || /;transport=tls/i.test(input.to);
      rejectedBecause = tls
        ? this.meta.refusalOfCall({ from: input.from, consumer, username: input.sipAuthUsername, password: input.sipAuthPassword })
        : 'WhatsApp takes SIP over TLS only';
    }
    const call = this.newLeg({
      direction: 'outgoing',
      connectionId: input.connectionId,
      from: input.from,
      to: input.to,
      clientState: input.clientState,
      commandId: input.commandId,
      sipAuthUsername: input.sipAuthUsername,
      sipTransportProtocol: input.sipTransportProtocol,
      script: this.store.nextScript(),
      rejectedBecause,
      record: input.record,
    });
    this.play(call, consumer, input.timeoutSecs * 1000);
    return call;
  }

  /** Hangs up a call that is still up (control API): the consumer ends it now. */
  hangup(callControlId: string): TelnyxCallRecord | undefined {
    const call = this.store.get(callControlId);
    if (call && call.state !== 'hangup') this.finish(call, 'normal_clearing');
    return call;
  }

  /** A consumer's call reaches the carrier: `call.initiated` (incoming); unanswered after `giveUpMs`, the consumer gives up. */
  receive(input: IncomingCallInput): TelnyxCallRecord {
    const call = this.newLeg({
      direction: 'incoming',
      connectionId: input.connectionId,
      from: input.consumer,
      to: input.business,
      clientState: null,
      commandId: null,
      sipAuthUsername: null,
      sipTransportProtocol: 'TLS',
      script: { ...DEFAULT_CALL_SCRIPT },
      rejectedBecause: null,
      record: false,
      inbound: { ...input.script, metaCallId: input.metaCallId, consumer: input.consumer, business: input.business },
    });
    this.emit(call, 'call.initiated');
    this.after(call, input.script.giveUpMs, () => {
      if (call.state === 'ringing') this.finish(call, 'originator_cancel');
    });
    return call;
  }

  /** `actions/answer` on an incoming leg. */
  answer(callControlId: string, input: AnswerInput): TelnyxCallRecord {
    const call = this.commandTarget(callControlId, 'answer', input.commandId, input);
    if (!call) return this.existing(callControlId);
    if (call.direction !== 'incoming') throw invalidCommand('Only an incoming call can be answered.');
    if (call.state === 'answered') return call;
    if (input.clientState) call.clientState = input.clientState;
    call.record = input.record;
    call.state = 'answered';
    call.answeredAt = new Date().toISOString();
    this.emit(call, 'call.answered');
    const talkMs = call.inbound?.talkMs ?? null;
    if (talkMs !== null) this.after(call, talkMs, () => this.finish(call, 'normal_clearing'));
    return call;
  }

  /** `actions/transfer`: a new leg to `to`, joined to this one when answered. */
  transfer(callControlId: string, input: TransferInput): TelnyxCallRecord {
    const call = this.commandTarget(callControlId, 'transfer', input.commandId, input);
    if (!call) return this.existing(callControlId);
    const forward = call.inbound?.forward ?? { outcome: 'answered' as const, ringMs: 0 };
    const leg = this.newLeg({
      direction: 'outgoing',
      connectionId: call.connectionId,
      from: input.from ?? call.to,
      to: input.to,
      clientState: input.targetLegClientState,
      commandId: null,
      sipAuthUsername: null,
      sipTransportProtocol: null,
      script: { ...DEFAULT_CALL_SCRIPT },
      rejectedBecause: null,
      record: false,
    });
    leg.bridgedWith = call.callControlId;
    this.emit(leg, 'call.initiated');
    const ringMs = Math.min(forward.ringMs, input.timeoutSecs * 1000);
    this.after(leg, ringMs, () => {
      if (forward.outcome === 'busy') return this.finish(leg, 'user_busy');
      if (forward.outcome === 'no_answer' || forward.ringMs >= input.timeoutSecs * 1000) return this.finish(leg, 'timeout');
      leg.state = 'answered';
      leg.answeredAt = new Date().toISOString();
      this.emit(leg, 'call.answered');
    });
    return call;
  }

  /** `actions/reject`: an incoming leg not yet answered. */
  reject(callControlId: string, commandId: string | null, cause: string): TelnyxCallRecord {
    const call = this.commandTarget(callControlId, 'reject', commandId, { cause });
    if (!call) return this.existing(callControlId);
    if (call.direction !== 'incoming' || call.state !== 'ringing') throw invalidCommand('Only an incoming call not yet answered can be rejected.');
    this.finish(call, cause === 'USER_BUSY' ? 'user_busy' : 'call_rejected');
    return call;
  }

  /** `actions/hangup`. */
  hangupCommand(callControlId: string, commandId: string | null): TelnyxCallRecord {
    const call = this.commandTarget(callControlId, 'hangup', commandId, {});
    if (!call) return this.existing(callControlId);
    this.finish(call, 'normal_clearing');
    return call;
  }

  /** A recording's download URL, signed to expire as Telnyx's S3 links do. */
  recordingUrl(recordingId: string, now = Date.now()): string {
    return `${this.links.publicUrl}/_sim/telnyx/recording-files/${recordingId}.mp3?X-Amz-Expires=${Math.floor((now + RECORDING_URL_TTL_MS) / 1000)}`;
  }

  /**
   * The live call a command is for, or null when this command id was applied to it before (the
   * repeat does nothing). Unknown: 404; ended: 90018. The command is recorded.
   */
  private commandTarget(callControlId: string, name: string, commandId: string | null, body: object): TelnyxCallRecord | null {
    const call = this.store.get(callControlId);
    if (!call) throw telnyxNotFound();
    if (commandId && call.commands.some((c) => c.commandId === commandId)) return null;
    if (call.state === 'hangup') throw callHasEnded();
    call.commands.push({ name, commandId, body: { ...body } });
    return call;
  }

  private existing(callControlId: string): TelnyxCallRecord {
    const call = this.store.get(callControlId);
    if (!call) throw telnyxNotFound();
    return call;
  }

  private newLeg(
    fields: Pick<
      TelnyxCallRecord,
      'direction' | 'connectionId' | 'from' | 'to' | 'clientState' | 'commandId' | 'sipAuthUsername' | 'sipTransportProtocol' | 'script' | 'rejectedBecause' | 'record'
    > &
      Partial<Pick<TelnyxCallRecord, 'inbound'>>,
  ): TelnyxCallRecord {
    const call: TelnyxCallRecord = {
      inbound: null,
      ...fields,
      callControlId: `v3:${randomUUID().replace(/-/g, '')}`,
      callLegId: randomUUID(),
      callSessionId: randomUUID(),
      state: 'ringing',
      hangupCause: null,
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      commands: [],
      bridgedWith: null,
      events: [],
    };
    this.store.add(call);
    return call;
  }

  close(): void {
    for (const set of this.timers.values()) for (const timer of set) clearTimeout(timer);
    this.timers.clear();
    this.held.clear();
  }

  private play(call: TelnyxCallRecord, consumer: string | null, timeoutMs: number): void {
    const script: CallScript = call.script;
    this.after(call, 0, () => {
      this.emit(call, 'call.initiated');
      if (call.rejectedBecause) return this.finish(call, 'call_rejected');
      switch (script.outcome) {
        case 'failed':
          return this.finish(call, 'unspecified');
        case 'busy':
          return this.after(call, script.ringMs, () => this.finish(call, 'user_busy'));
        case 'no_answer':
          return this.after(call, Math.min(script.ringMs, timeoutMs), () => this.finish(call, 'no_answer'));
        case 'answered':
          if (script.ringMs >= timeoutMs) return this.after(call, timeoutMs, () => this.finish(call, 'no_answer'));
          return this.after(call, script.ringMs, () => {
            call.state = 'answered';
            call.answeredAt = new Date().toISOString();
            this.emit(call, 'call.answered');
            if (consumer) this.meta.callConnected(call.from, consumer, Date.now());
            if (script.talkMs !== null) this.after(call, script.talkMs, () => this.finish(call, 'normal_clearing'));
          });
      }
    });
  }

  private finish(call: TelnyxCallRecord, cause: string): void {
    if (call.state === 'hangup') return;
    for (const timer of this.timers.get(call.callControlId) ?? []) clearTimeout(timer);
    this.timers.delete(call.callControlId);
    const wasAnswered = call.state === 'answered';
    call.state = 'hangup';
    call.hangupCause = cause;
    call.endedAt = new Date().toISOString();
    this.emit(call, 'call.hangup');
    if (call.record && call.answeredAt) this.saveRecording(call);
    if (call.inbound) {
      const { metaCallId, business, consumer } = call.inbound;
      const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);
      this.meta.consumerCallEnded({ metaCallId, business, consumer, startedAt: Date.parse(call.startedAt), answeredAt: ms(call.answeredAt), endedAt: Date.now() });
    }
    // A transfer's legs end with the call they were made for; an answered (joined) one ends that
    // call too, but one that failed before it was answered leaves it up.
    for (const leg of this.store.list()) if (leg.bridgedWith === call.callControlId) this.finish(leg, 'normal_clearing');
    const original = call.bridgedWith ? this.store.get(call.bridgedWith) : undefined;
    if (original && wasAnswered) this.finish(original, 'normal_clearing');
    const held = this.held.get(call.callControlId);
    this.held.delete(call.callControlId);
    if (held?.length) this.dispatcher.dispatch('telnyx', held);
  }

  private after(call: TelnyxCallRecord, ms: number, step: () => void): void {
    let set = this.timers.get(call.callControlId);
    if (!set) this.timers.set(call.callControlId, (set = new Set()));
    const timers = set;
    const timer = setTimeout(() => {
      timers.delete(timer);
      step();
    }, ms);
    timers.add(timer);
  }

  private saveRecording(call: TelnyxCallRecord): void {
    const recording = {
      id: randomUUID(),
      callControlId: call.callControlId,
      callLegId: call.callLegId,
      callSessionId: call.callSessionId,
      startedAt: call.answeredAt ?? call.startedAt,
      endedAt: call.endedAt ?? new Date().toISOString(),
      channels: 'dual' as const,
      format: 'mp3' as const,
    };
    this.store.addRecording(recording);
    this.emit(call, 'call.recording.saved', {
      recording_id: recording.id,
      recording_started_at: recording.startedAt,
      recording_ended_at: recording.endedAt,
      channels: recording.channels,
      format: recording.format,
      recording_urls: { mp3: this.recordingUrl(recording.id) },
      public_recording_urls: {},
    });
  }

  private emit(call: TelnyxCallRecord, eventType: string, extra: Record<string, unknown> = {}): void {
    const id = randomUUID();
    const occurredAt = new Date().toISOString();
    call.events.push({ eventType, id, occurredAt });
    const data = { event_type: eventType, id, occurred_at: occurredAt, payload: { ...this.payloadOf(call, eventType), ...extra }, record_type: 'event' };
    const render = ({ attempt, url }: WebhookAttempt) => ({ data, meta: { attempt, delivered_to: url } });
    if (call.script.delivery === 'at_end') {
      const held = this.held.get(call.callControlId) ?? [];
      held.push(render);
      this.held.set(call.callControlId, held);
    } else {
      this.dispatcher.dispatch('telnyx', [render]);
    }
  }

  private payloadOf(call: TelnyxCallRecord, eventType: string): Record<string, unknown> {
    const base = {
      call_control_id: call.callControlId,
      call_leg_id: call.callLegId,
      call_session_id: call.callSessionId,
      client_state: call.clientState,
      connection_id: call.connectionId,
      from: call.from,
      to: call.to,
      direction: call.direction,
    };
    switch (eventType) {
      case 'call.initiated':
        return { ...base, state: call.direction === 'incoming' ? 'parked' : 'bridging', start_time: call.startedAt };
      case 'call.answered':
        return { ...base, state: 'answered', start_time: call.startedAt };
      case 'call.recording.saved':
        return base;
      default:
        return {
          ...base,
          state: 'hangup',
          start_time: call.startedAt,
          end_time: call.endedAt,
          hangup_cause: call.hangupCause,
          hangup_source: call.hangupCause === 'normal_clearing' ? (call.direction === 'incoming' ? 'caller' : 'callee') : 'unknown',
          sip_hangup_cause: SIP_CAUSES[call.hangupCause ?? 'unspecified'] ?? '500',
        };
    }
  }
}
