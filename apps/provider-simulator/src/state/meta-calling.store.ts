/** A number's calling settings at Meta (`POST /{phone-number-id}/settings`). */
export interface MetaCallingSettingsRecord {
  numberId: string;
  status: 'ENABLED' | 'DISABLED';
  callIconVisibility: string;
  sip: { status: 'ENABLED' | 'DISABLED'; servers: { hostname: string; port: number }[] };
  /** The SIP digest password Meta issued when SIP was enabled (kept across disable/enable, as Meta does). */
  sipPassword: string | null;
  updatedAt: string;
}

export type ScriptedReply = 'allow_temporary' | 'allow_permanent' | 'refuse' | 'ignore';

/** One business number and one consumer at Meta: the window, prompts, permission, and what the consumer will answer. */
export interface ConsumerThreadRecord {
  numberId: string;
  /** The consumer's wa_id: E.164 digits, no `+`. */
  consumer: string;
  /** The consumer's last message (ms): a 24-hour customer-service window. */
  lastMessageAt: number | null;
  permission: { status: 'no_permission' | 'temporary' | 'permanent'; expiresAt: number | null };
  prompts: { messageId: string; sentAt: number; bodyText: string | null; answer: ScriptedReply | null }[];
  lastConnectedCallAt: number | null;
  /** The answer to the next prompt (control API); `ignore` when unset. */
  nextReply: { reply: ScriptedReply; delayMs: number } | null;
}

/** A message the business sent through Graph (`POST /{phone-number-id}/messages`). */
export interface MetaOutboundMessageRecord {
  id: string;
  numberId: string;
  to: string;
  type: string;
  interactiveType: string | null;
  bodyText: string | null;
  sentAt: string;
}

/** Meta's calling side: settings per number, consumer threads, messages sent. */
export class MetaCallingStore {
  private readonly settings = new Map<string, MetaCallingSettingsRecord>();
  private readonly threads = new Map<string, ConsumerThreadRecord>();
  private messages: MetaOutboundMessageRecord[] = [];

  settingsOf(numberId: string): MetaCallingSettingsRecord | undefined {
    return this.settings.get(numberId);
  }

  saveSettings(record: MetaCallingSettingsRecord): void {
    this.settings.set(record.numberId, record);
  }

  /** The thread, created empty on first use. */
  thread(numberId: string, consumer: string): ConsumerThreadRecord {
    const key = `${numberId}|${consumer}`;
    let thread = this.threads.get(key);
    if (!thread) {
      thread = { numberId, consumer, lastMessageAt: null, permission: { status: 'no_permission', expiresAt: null }, prompts: [], lastConnectedCallAt: null, nextReply: null };
      this.threads.set(key, thread);
    }
    return thread;
  }

  findThread(numberId: string, consumer: string): ConsumerThreadRecord | undefined {
    return this.threads.get(`${numberId}|${consumer}`);
  }

  /** The consumer's threads with every business number (the control API may not name the number). */
  threadsOf(consumer: string): ConsumerThreadRecord[] {
    return [...this.threads.values()].filter((thread) => thread.consumer === consumer);
  }

  addMessage(message: MetaOutboundMessageRecord): void {
    this.messages.push(message);
    if (this.messages.length > 5_000) this.messages.splice(0, this.messages.length - 5_000);
  }

  dump(): { settings: MetaCallingSettingsRecord[]; threads: ConsumerThreadRecord[]; messages: MetaOutboundMessageRecord[] } {
    // Secrets stay in: the simulator's state dump is for tests.
    return { settings: [...this.settings.values()], threads: [...this.threads.values()], messages: [...this.messages] };
  }

  clear(): void {
    this.settings.clear();
    this.threads.clear();
    this.messages = [];
  }
}
