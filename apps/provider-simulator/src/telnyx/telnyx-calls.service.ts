import { randomUUID } from 'node:crypto';
import type { MetaCalling } from '../meta/meta-calling.service';
import type { CallScript, TelnyxCallRecord, TelnyxCallStore } from '../state/telnyx-call.store';
import type { WebhookAttempt } from '../webhooks/webhook.deliverer';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';

export interface DialInput {
  connectionId: string;
  from: string;
  to: string;
  sipAuthUsername: string | null;
  sipAuthPassword: string | null;
  sipTransportProtocol: string | null;
  clientState: string | null;
  commandId: string | null;
  timeoutSecs: number;
}

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
 */
export class TelnyxCalls {
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly held = new Map<string, ((attempt: WebhookAttempt) => unknown)[]>();

  constructor(
    private readonly store: TelnyxCallStore,
    private readonly meta: MetaCalling,
    private readonly dispatcher: WebhookDispatcher,
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
    const call: TelnyxCallRecord = {
      callControlId: `v3:${randomUUID().replace(/-/g, '')}`,
      callLegId: randomUUID(),
      callSessionId: randomUUID(),
      connectionId: input.connectionId,
      from: input.from,
      to: input.to,
      clientState: input.clientState,
      commandId: input.commandId,
      sipAuthUsername: input.sipAuthUsername,
      sipTransportProtocol: input.sipTransportProtocol,
      state: 'ringing',
      script: this.store.nextScript(),
      rejectedBecause,
      hangupCause: null,
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      events: [],
    };
    this.store.add(call);
    this.play(call, consumer, input.timeoutSecs * 1000);
    return call;
  }

  /** Hangs up a call that is still up (control API): the consumer ends it now. */
  hangup(callControlId: string): TelnyxCallRecord | undefined {
    const call = this.store.get(callControlId);
    if (call && call.state !== 'hangup') this.finish(call, 'normal_clearing');
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
    for (const timer of this.timers.get(call.callControlId) ?? []) clearTimeout(timer);
    this.timers.delete(call.callControlId);
    call.state = 'hangup';
    call.hangupCause = cause;
    call.endedAt = new Date().toISOString();
    this.emit(call, 'call.hangup');
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

  private emit(call: TelnyxCallRecord, eventType: string): void {
    const id = randomUUID();
    const occurredAt = new Date().toISOString();
    call.events.push({ eventType, id, occurredAt });
    const data = { event_type: eventType, id, occurred_at: occurredAt, payload: this.payloadOf(call, eventType), record_type: 'event' };
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
      direction: 'outgoing',
    };
    switch (eventType) {
      case 'call.initiated':
        return { ...base, state: 'bridging' };
      case 'call.answered':
        return { ...base, state: 'answered', start_time: call.startedAt };
      default:
        return {
          ...base,
          state: 'hangup',
          start_time: call.startedAt,
          end_time: call.endedAt,
          hangup_cause: call.hangupCause,
          hangup_source: call.hangupCause === 'normal_clearing' ? 'callee' : 'unknown',
          sip_hangup_cause: SIP_CAUSES[call.hangupCause ?? 'unspecified'] ?? '500',
        };
    }
  }
}
