import { randomBytes } from 'node:crypto';
import type { MetaCallingStore, ConsumerThreadRecord, ScriptedReply } from '../state/meta-calling.store';
import type { MetaNumberRecord, MetaStore } from '../state/meta.store';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import { whatsappError } from './meta-errors';

const HOUR_MS = 3600_000;
const WINDOW_MS = 24 * HOUR_MS;
const TEMPORARY_PERMISSION_MS = 7 * 24 * HOUR_MS;
/** Meta's limits on call-permission prompts per business number and consumer; a connected call resets both. */
const PROMPT_LIMITS = [
  { timePeriod: 'PT24H', periodMs: 24 * HOUR_MS, max: 1 },
  { timePeriod: 'P7D', periodMs: 7 * 24 * HOUR_MS, max: 2 },
] as const;

export class UnknownBusinessNumberError extends Error {}
/** Meta does not put a consumer's call through: calling or SIP is off on the business number. */
export class CallingOffError extends Error {}

/** A WhatsApp message id, shaped like Meta's `wamid.HBgL…`. */
function wamid(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

const digitsOf = (phone: string) => phone.replace(/\D/g, '');

/**
 * Meta's side of WhatsApp calling: consumers who write to a business number (a signed `messages`
 * webhook, and a 24-hour customer-service window), the interactive call-permission prompt and the
 * consumer's answer (scripted through the control API: allow temporarily, allow permanently,
 * refuse, ignore), Meta's own prompt limits, and the check a SIP call from the carrier passes
 * (calling on, digest credentials, permission).
 */
export class MetaCalling {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly numbers: MetaStore,
    private readonly store: MetaCallingStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** A consumer writes to a business number (E.164): Meta's `messages` webhook; the window opens. */
  consumerWrites(input: { business: string; consumer: string; text: string }): { messageId: string; numberId: string } {
    const record = this.numbers.findByPhoneNumber(input.business);
    if (!record) throw new UnknownBusinessNumberError(`${input.business} is not a WhatsApp business number here`);
    const consumer = digitsOf(input.consumer);
    const thread = this.store.thread(record.id, consumer);
    const at = Date.now();
    thread.lastMessageAt = at;
    const messageId = wamid();
    this.sendMessagesWebhook(record, consumer, { from: consumer, id: messageId, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: input.text } });
    return { messageId, numberId: record.id };
  }

  /**
   * `POST /{id}/messages` with an interactive `call_permission_request`: inside the window and
   * Meta's limits, or Graph's error. The consumer answers as scripted (nothing by default).
   */
  sendPermissionRequest(record: MetaNumberRecord, to: string, bodyText: string | null): { messageId: string } {
    const consumer = digitsOf(to);
    const thread = this.store.thread(record.id, consumer);
    const now = Date.now();
    if (!thread.lastMessageAt || now - thread.lastMessageAt >= WINDOW_MS) {
      throw whatsappError(131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
    }
    for (const limit of PROMPT_LIMITS) {
      if (this.usage(thread, limit.periodMs, now) >= limit.max) {
        throw whatsappError(138009, 'Call permission request limit reached', `At most ${limit.max} call permission request(s) per ${limit.timePeriod} to this user.`);
      }
    }
    const messageId = wamid();
    thread.prompts.push({ messageId, sentAt: now, bodyText, answer: null });
    this.store.addMessage({ id: messageId, numberId: record.id, to: consumer, type: 'interactive', interactiveType: 'call_permission_request', bodyText, sentAt: new Date(now).toISOString() });
    const scripted = thread.nextReply;
    if (scripted) {
      thread.nextReply = null;
      this.answerLater(record, thread, scripted.reply, scripted.delayMs);
    }
    return { messageId };
  }

  /**
   * How the consumer answers (control API): the prompt waiting for an answer now (after `delayMs`),
   * else the next prompt. `business` (E.164) picks the conversation; without it, every one of
   * the consumer's. Throws when the consumer has no conversation to answer in.
   */
  scriptReply(input: { consumer: string; business?: string; reply: ScriptedReply; delayMs: number }): { applied: 'now' | 'next_prompt'; numberId: string }[] {
    const consumer = digitsOf(input.consumer);
    let threads: ConsumerThreadRecord[];
    if (input.business) {
      const record = this.numbers.findByPhoneNumber(input.business);
      if (!record) throw new UnknownBusinessNumberError(`${input.business} is not a WhatsApp business number here`);
      threads = [this.store.thread(record.id, consumer)];
    } else {
      threads = this.store.threadsOf(consumer);
      if (threads.length === 0) throw new UnknownBusinessNumberError(`${input.consumer} has no conversation with a business number: name one`);
    }
    return threads.map((thread) => {
      const record = this.numbers.find(thread.numberId);
      const pending = thread.prompts.find((prompt) => prompt.answer === null);
      if (record && pending) {
        this.answerLater(record, thread, input.reply, input.delayMs);
        return { applied: 'now' as const, numberId: thread.numberId };
      }
      thread.nextReply = { reply: input.reply, delayMs: input.delayMs };
      return { applied: 'next_prompt' as const, numberId: thread.numberId };
    });
  }

  /** What `GET /{id}/call_permissions?user_wa_id=` answers. */
  permissionsOf(record: MetaNumberRecord, consumer: string): Record<string, unknown> {
    const thread = this.store.findThread(record.id, digitsOf(consumer));
    const now = Date.now();
    const permission = this.permissionOf(thread, now);
    const windowOpen = !!thread?.lastMessageAt && now - thread.lastMessageAt < WINDOW_MS;
    const limits = PROMPT_LIMITS.map((limit) => ({ time_period: limit.timePeriod, max_allowed: limit.max, current_usage: thread ? this.usage(thread, limit.periodMs, now) : 0 }));
    return {
      messaging_product: 'whatsapp',
      permission: { status: permission.status, ...(permission.expiresAt ? { expiration_time: Math.floor(permission.expiresAt / 1000) } : {}) },
      actions: [
        {
          action_name: 'send_call_permission_request',
          can_perform_action: windowOpen && limits.every((limit) => limit.current_usage < limit.max_allowed),
          limits,
        },
        { action_name: 'start_call', can_perform_action: permission.status !== 'no_permission' },
      ],
    };
  }

  /** Why Meta refuses a SIP call from `from` (E.164) to the consumer, or null when it takes it. */
  refusalOfCall(input: { from: string; consumer: string; username: string | null; password: string | null }): string | null {
    const record = this.numbers.findByPhoneNumber(input.from);
    if (!record) return `${input.from} is not a WhatsApp business number`;
    const settings = this.store.settingsOf(record.id);
    if (settings?.status !== 'ENABLED' || settings.sip.status !== 'ENABLED') return 'calling with SIP is not enabled on the business number';
    if (input.username !== digitsOf(input.from) || input.password !== settings.sipPassword) return 'SIP digest authentication failed';
    const permission = this.permissionOf(this.store.findThread(record.id, digitsOf(input.consumer)), Date.now());
    if (permission.status === 'no_permission') return 'the consumer has not allowed calls from this business number';
    return null;
  }

  /**
   * A consumer calls a business number (E.164): Meta takes the call when calling with SIP is on,
   * and sends it to the number's SIP server (the carrier). Meta's `calls` webhook (`connect`)
   * tells of it, with Meta's call id; `consumerCallEnded` sends the `terminate`.
   */
  consumerCalls(input: { business: string; consumer: string }): { metaCallId: string; numberId: string } {
    const record = this.numbers.findByPhoneNumber(input.business);
    if (!record) throw new UnknownBusinessNumberError(`${input.business} is not a WhatsApp business number here`);
    const settings = this.store.settingsOf(record.id);
    if (settings?.status !== 'ENABLED' || settings.sip.status !== 'ENABLED' || settings.sip.servers.length === 0) {
      throw new CallingOffError(`calling with SIP is not enabled on ${input.business}`);
    }
    const metaCallId = `wacid.${randomBytes(18).toString('base64url')}`;
    const at = Date.now();
    this.sendCallsWebhook(record, { id: metaCallId, from: digitsOf(input.consumer), to: digitsOf(record.phoneNumber), event: 'connect', direction: 'USER_INITIATED', timestamp: String(Math.floor(at / 1000)) });
    return { metaCallId, numberId: record.id };
  }

  /** The consumer's call ended (`terminate`): COMPLETED when it was answered, with its duration. */
  consumerCallEnded(call: { metaCallId: string; business: string; consumer: string; startedAt: number; answeredAt: number | null; endedAt: number }): void {
    const record = this.numbers.findByPhoneNumber(call.business);
    if (!record) return;
    const seconds = (ms: number) => String(Math.floor(ms / 1000));
    this.sendCallsWebhook(record, {
      id: call.metaCallId,
      from: digitsOf(call.consumer),
      to: digitsOf(record.phoneNumber),
      event: 'terminate',
      direction: 'USER_INITIATED',
      timestamp: seconds(call.endedAt),
      status: call.answeredAt === null ? 'FAILED' : 'COMPLETED',
      start_time: seconds(call.startedAt),
      end_time: seconds(call.endedAt),
      ...(call.answeredAt === null ? {} : { duration: Math.round((call.endedAt - call.answeredAt) / 1000) }),
    });
  }

  /** A call from `from` to the consumer connected: Meta's prompt limits start again. */
  callConnected(from: string, consumer: string, at: number): void {
    const record = this.numbers.findByPhoneNumber(from);
    if (record) this.store.thread(record.id, digitsOf(consumer)).lastConnectedCallAt = at;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private usage(thread: ConsumerThreadRecord, periodMs: number, now: number): number {
    const since = Math.max(now - periodMs, thread.lastConnectedCallAt ?? 0);
    return thread.prompts.filter((prompt) => prompt.sentAt > since).length;
  }

  private permissionOf(thread: ConsumerThreadRecord | undefined, now: number): { status: 'no_permission' | 'temporary' | 'permanent'; expiresAt: number | null } {
    const permission = thread?.permission;
    if (!permission || permission.status === 'no_permission') return { status: 'no_permission', expiresAt: null };
    if (permission.status === 'temporary' && (permission.expiresAt ?? 0) <= now) return { status: 'no_permission', expiresAt: null };
    return permission;
  }

  private answerLater(record: MetaNumberRecord, thread: ConsumerThreadRecord, reply: ScriptedReply, delayMs: number): void {
    const prompt = [...thread.prompts].reverse().find((p) => p.answer === null);
    if (!prompt) return;
    prompt.answer = reply; // decided now, told after the delay
    if (reply === 'ignore') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const at = Date.now();
      const accepted = reply !== 'refuse';
      const permanent = reply === 'allow_permanent';
      const expiresAt = accepted && !permanent ? at + TEMPORARY_PERMISSION_MS : null;
      thread.permission = accepted ? { status: permanent ? 'permanent' : 'temporary', expiresAt } : { status: 'no_permission', expiresAt: null };
      thread.lastMessageAt = at; // an answer is a message
      this.sendMessagesWebhook(record, thread.consumer, {
        from: thread.consumer,
        id: wamid(),
        timestamp: String(Math.floor(at / 1000)),
        context: { from: digitsOf(record.phoneNumber), id: prompt.messageId },
        type: 'interactive',
        interactive: {
          type: 'call_permission_reply',
          call_permission_reply: {
            response: accepted ? 'accept' : 'reject',
            is_permanent: permanent,
            ...(expiresAt ? { expiration_timestamp: Math.floor(expiresAt / 1000) } : {}),
            response_source: 'user_action',
          },
        },
      });
    }, delayMs);
    this.timers.add(timer);
  }

  private sendCallsWebhook(record: MetaNumberRecord, call: Record<string, unknown>): void {
    this.dispatcher.dispatch('meta', [
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: record.wabaId ?? '0',
            changes: [
              {
                field: 'calls',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: digitsOf(record.phoneNumber), phone_number_id: record.id },
                  calls: [call],
                },
              },
            ],
          },
        ],
      },
    ]);
  }

  private sendMessagesWebhook(record: MetaNumberRecord, consumer: string, message: Record<string, unknown>): void {
    this.dispatcher.dispatch('meta', [
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: record.wabaId ?? '0',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: digitsOf(record.phoneNumber), phone_number_id: record.id },
                  contacts: [{ profile: { name: 'Simulated Consumer' }, wa_id: consumer }],
                  messages: [message],
                },
              },
            ],
          },
        ],
      },
    ]);
  }
}
