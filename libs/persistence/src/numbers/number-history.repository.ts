import { Injectable } from '@nestjs/common';
import { isWebhookProvider, type WebhookProvider } from '@numbers/contracts';
import { sql } from 'kysely';
import { Database } from '../database/database';
import type { Actor } from '../database/rows';

/** A state transition (`number_status_history`), applied or not, with its cause and actor. */
export interface TransitionEntry {
  kind: 'transition';
  at: Date;
  event: string;
  from: string | null;
  to: string | null;
  applied: boolean;
  cause: string | null;
  actor: Actor;
}

/** A job about the number written to the outbox (payload `numberId`), and how it ended. */
export interface JobEntry {
  kind: 'job';
  at: Date;
  outboxId: string;
  name: string;
  payload: unknown;
  publishedAt: Date | null;
  finishedAt: Date | null;
  /** Its record in `failed_jobs` when it failed for good. */
  failure: { id: string; status: string; reason: string; lastError: string } | null;
}

/** A provider's webhook event that named the number or caused one of its transitions or jobs. */
export interface WebhookEntry {
  kind: 'webhook';
  at: Date;
  id: string;
  provider: WebhookProvider;
  eventId: string;
  eventType: string;
  processedAt: Date | null;
  outcome: string | null;
  detail: string | null;
}

/** The number moved to another profile of its account (no state change). */
export interface ProfileMoveEntry {
  kind: 'profile_move';
  at: Date;
  fromProfileId: string;
  toProfileId: string;
  cause: string | null;
  actor: Actor;
}

export type NumberHistoryEntry = TransitionEntry | JobEntry | WebhookEntry | ProfileMoveEntry;

export interface NumberHistory {
  number: { id: string; accountId: string; status: string; phoneNumber: string | null; createdAt: Date };
  /** Oldest first. */
  entries: NumberHistoryEntry[];
}

/** `webhook:<provider>:<event id>`, as the webhook processor records causes (a `: ...` or ` (job ...)` may follow). */
const WEBHOOK_CAUSE = /webhook:([a-z]+):([^\s()]+)/g;

/** The webhook events a cause names. */
export function webhookEventsOfCause(cause: string | null | undefined): Array<{ provider: WebhookProvider; eventId: string }> {
  if (!cause) return [];
  return [...cause.matchAll(WEBHOOK_CAUSE)].flatMap(([, provider, eventId]) =>
    isWebhookProvider(provider) ? [{ provider, eventId: eventId.replace(/:$/, '') }] : [],
  );
}

/**
 * Everything recorded about one number, for an operator (`number:history`): its transitions, its
 * moves between profiles, the jobs written for it, and the provider events that touched it, in
 * time order. Events are found
 * by the causes of its transitions and jobs, and by the number's identifiers (ours, the E.164,
 * the carrier's and Meta's ids, the Checkout Session) appearing in a stored body: that last part
 * reads the whole `webhook_events` table (bounded by WEBHOOK_EVENT_RETENTION_MS), which an
 * operator's command may; jobs and events go as their rows are pruned.
 */
@Injectable()
export class NumberHistoryRepository {
  constructor(private readonly db: Database) {}

  async of(numberId: string): Promise<NumberHistory | undefined> {
    const number = await this.db
      .selectFrom('phoneNumbers')
      .select(['id', 'accountId', 'status', 'phoneNumber', 'createdAt', 'telnyxOrderId', 'telnyxNumberId', 'metaPhoneNumberId', 'stripeCheckoutSessionId', 'requirementGroupId'])
      .where('id', '=', numberId)
      .executeTakeFirst();
    if (!number) return undefined;
    const [transitions, moves, jobs] = await Promise.all([
      this.db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).orderBy('at').orderBy('id').execute(),
      this.db.selectFrom('numberProfileMoves').selectAll().where('numberId', '=', numberId).orderBy('at').orderBy('id').execute(),
      this.db
        .selectFrom('outbox')
        .leftJoin('failedJobs', 'failedJobs.outboxId', 'outbox.id')
        .select([
          'outbox.id',
          'outbox.name',
          'outbox.payload',
          'outbox.createdAt',
          'outbox.publishedAt',
          'outbox.finishedAt',
          'failedJobs.id as failureId',
          'failedJobs.status as failureStatus',
          'failedJobs.reason as failureReason',
          'failedJobs.lastError as failureError',
        ])
        .where('outbox.kind', '=', 'job')
        .where(sql<string>`outbox.payload->>'numberId'`, '=', numberId)
        .orderBy('outbox.id')
        .execute(),
    ]);
    const named = [...transitions.map((t) => t.cause), ...jobs.map((j) => (j.payload as { cause?: string }).cause)].flatMap(webhookEventsOfCause);
    const identifiers = [number.id, number.phoneNumber, number.telnyxOrderId, number.telnyxNumberId, number.metaPhoneNumberId, number.stripeCheckoutSessionId, number.requirementGroupId].filter(
      (value): value is string => !!value,
    );
    const events = await this.db
      .selectFrom('webhookEvents')
      .select(['id', 'provider', 'eventId', 'eventType', 'receivedAt', 'processedAt', 'outcome', 'detail'])
      .where((eb) =>
        eb.or([
          ...named.map((e) => eb.and([eb('provider', '=', e.provider), eb('eventId', '=', e.eventId)])),
          // As a JSON string in the body: the whole value, not a part of a longer one.
          ...identifiers.map((value) => eb(sql<number>`strpos(raw_body, ${JSON.stringify(value)})`, '>', 0)),
        ]),
      )
      .execute();

    const entries: NumberHistoryEntry[] = [
      ...transitions.map(
        (t): TransitionEntry => ({ kind: 'transition', at: t.at, event: t.event, from: t.fromStatus, to: t.toStatus, applied: t.applied, cause: t.cause, actor: t.actor }),
      ),
      ...moves.map(
        (m): ProfileMoveEntry => ({ kind: 'profile_move', at: m.at, fromProfileId: m.fromProfileId, toProfileId: m.toProfileId, cause: m.cause, actor: m.actor }),
      ),
      ...jobs.map(
        (j): JobEntry => ({
          kind: 'job',
          at: j.createdAt,
          outboxId: j.id,
          name: j.name,
          payload: j.payload,
          publishedAt: j.publishedAt,
          finishedAt: j.finishedAt,
          failure: j.failureId ? { id: j.failureId, status: j.failureStatus as string, reason: j.failureReason as string, lastError: j.failureError as string } : null,
        }),
      ),
      ...events.map(
        (e): WebhookEntry => ({
          kind: 'webhook',
          at: e.receivedAt,
          id: e.id,
          provider: e.provider,
          eventId: e.eventId,
          eventType: e.eventType,
          processedAt: e.processedAt,
          outcome: e.outcome,
          detail: e.detail,
        }),
      ),
    ];
    // Stable: entries of the same instant keep transitions, moves, jobs, events in that order.
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    const { id, accountId, status, phoneNumber, createdAt } = number;
    return { number: { id, accountId, status, phoneNumber, createdAt }, entries };
  }
}
