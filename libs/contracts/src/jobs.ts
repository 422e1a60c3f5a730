import type { JobsOptions } from 'bullmq';
import type { QueueName } from './queues';
import { PROVIDER_CALL_RETRY, WEBHOOK_DELIVERY_RETRY } from './retry-policies';

/**
 * Every job and its payload. Payloads carry ids and the cause, never copies of rows: the
 * handler reads today's truth from PostgreSQL.
 */
export interface JobPayloads {
  /** Deregister the number at Meta, delete it at the carrier, then mark it released. */
  'release-number': { numberId: string };
  /** Make the account's Stripe subscription quantity equal its billable numbers. */
  'sync-subscription-quantity': { accountId: string; cause: string };
  /** The number entered `provisioning`: pick it and order it from the carrier, once (customer reference = number id). */
  'order-number': { numberId: string };
  /** The number entered `verifying`: add it to the WhatsApp Business Account and have Meta send the code by SMS. */
  'register-whatsapp': { numberId: string };
  /** WhatsApp's activation code came by SMS (`cause`: the carrier's event) to a `verifying` number: submit it to Meta, register the number, make it active. */
  'verify-whatsapp-code': { numberId: string; code: string; cause: string };
  /** The number became `active`: billing for it starts (the trial ends, or the rest of the period is charged). */
  'start-billing': { numberId: string };
  /** Process a stored Stripe webhook event (`webhook_events` row): money, so billing. */
  'process-stripe-event': { webhookEventId: string };
  /** Process a stored Telnyx webhook event other than `call.*`: orders and messages, so provisioning. */
  'process-telnyx-event': { webhookEventId: string };
  /** Process a stored Telnyx `call.*` webhook event: calls, so calling. */
  'process-telnyx-call-event': { webhookEventId: string };
  /** Process a stored Meta (WhatsApp Business) webhook change. */
  'process-meta-event': { webhookEventId: string };
  /** The number was released before it was paid for (`pending_payment` → `releasing`): expire its open Checkout Session at Stripe. */
  'expire-checkout-session': { numberId: string };
  /** Calling: carry out the customer's wish on a number's WhatsApp calling (Meta's calling settings with SIP, the carrier's routing), on or off. */
  'sync-whatsapp-calling': { numberId: string };
  /** Calling: send Meta the call-permission prompt the gateway accepted (a `call_permission_prompts` row). */
  'send-call-permission-request': { promptId: string };
  /** Calling: have the carrier originate an accepted call (SIP to Meta with the number's digest credentials). */
  'place-call': { callId: string };
  /** Calling: answer a consumer's call at the carrier and bridge it to the number's forwardTo (recording it when asked). */
  'answer-inbound-call': { callId: string };
  /** Calling: hang up a consumer's call whose forward leg ended (a failed bridge leaves the consumer's leg up). */
  'hang-up-inbound-call': { callId: string };
  /** Scheduled (SCHEDULES): settle `pending_payment` numbers whose Checkout webhook was lost, or that never got a session. */
  'reconcile-pending-checkouts': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): resume numbers stuck in `provisioning`, `pending_regulatory`, `verifying` or `releasing` (a lost job, webhook or SMS). */
  'resume-stalled-provisioning': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): start billing for `active` numbers whose `start-billing` was lost. */
  'resume-stalled-billing': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): re-drive calling settings left `enabling` or `disabling`, and fail calls left `dialing` or `ringing`. */
  'resume-stalled-calling': ScheduledRunPayload;
  /** A declined number was remediated: send its corrected fields to the same requirement group and submit it for review again. */
  'resubmit-requirement-group': { numberId: string };
  /** The carrier announced a verdict on a number's requirement group (`cause`: its event): read it at the carrier and record it. */
  'settle-regulatory-verdict': { numberId: string; requirementGroupId: string; cause: string };
  /** A paid invoice charged slots of numbers that were not active yet: credit each one (Stripe credit note), once per (number, invoice). */
  'credit-slot-charges': { accountId: string; invoiceId: string };
  /** Checkout made a subscription for the account (its webhook recorded the ids): record its status and items from Stripe, or cancel it when the account kept another. */
  'adopt-checkout-subscription': { accountId: string; subscriptionId: string };
  /** Stripe said an invoice of the account was paid or its payment failed (`cause`: the event): read it from Stripe, record it in the ledger, suspend or restore the numbers. */
  'settle-invoice': { accountId: string; invoiceId: string; event: 'invoice.paid' | 'invoice.payment_failed'; cause: string };
  /** Scheduled (SCHEDULES): compare accounts' Stripe subscription quantity with their billable numbers and repair drift. */
  'reconcile-subscription-quantities': ScheduledRunPayload;
  /** Deliver a customer event (`customer_events` row) to one of its account's webhook endpoints: one attempt per run, retried on the delivery schedule. */
  'deliver-webhook': { eventId: string; webhookId: string };
  /** Scheduled (SCHEDULES): delete delivery logs and customer events past their 30 days. */
  'prune-webhook-logs': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): ask the carrier whether watched stock is back; announce it once to each watch's account and end the watch. */
  'sweep-stock-watches': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): publish again, through the outbox, the failed jobs (`failed_jobs`) whose re-drive is due. */
  'redrive-failed-jobs': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): find jobs published from the outbox that Redis lost (restarted empty) and publish them again. */
  'recover-lost-jobs': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): erase the KYC documents and values of numbers released or declined longer ago than KYC_RETENTION_DAYS. */
  'erase-expired-kyc': ScheduledRunPayload;
  /** Scheduled (SCHEDULES): delete, in batches, outbox rows, processed webhook events and Idempotency-Key records past their retention. */
  'prune-records': ScheduledRunPayload;
}

/** A scheduled run carries nothing: it reads what to do from PostgreSQL. */
export type ScheduledRunPayload = Record<string, never>;

export type JobName = keyof JobPayloads;

export interface JobDefinition {
  queue: QueueName;
  options: JobsOptions;
  /**
   * false: the job's final failure is its own end, not recorded in `failed_jobs` nor re-driven.
   * A scheduled run (the next tick is its retry) and a delivery to a customer's endpoint (its end
   * is the delivery schedule's, logged in `webhook_deliveries`).
   */
  redrive?: false;
}

/**
 * A scheduled sweep runs once per tick: a failed run is not retried, the next tick is its retry
 * (retrying would pile runs onto the next ones).
 */
export const SCHEDULED_RUN: JobsOptions = { attempts: 1 };
const SCHEDULED = { options: SCHEDULED_RUN, redrive: false } as const;

/**
 * A quantity sync waits this long before it runs: the numbers an account buys in a burst then
 * share the first sync to run, which sets Stripe to all of them; the later ones find Stripe in
 * step and call nothing (one subscription update, one webhook, instead of one per number).
 */
export const QUANTITY_SYNC_DELAY_MS = 300;

/**
 * On the calling queue a dial (and the answer of a consumer's call) goes before the follow-ups
 * (call webhooks, settings, prompts): BullMQ runs jobs without a priority before prioritized
 * ones, so a call is dialed in time though the webhooks of earlier calls wait. The gateway's
 * admission bounds the follow-ups' wait too (docs/architecture.md, "A call").
 */
const AFTER_DIALS: JobsOptions = { ...PROVIDER_CALL_RETRY, priority: 1 };

export const JOBS: { readonly [K in JobName]: JobDefinition } = {
  'release-number': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'sync-subscription-quantity': { queue: 'billing', options: { ...PROVIDER_CALL_RETRY, delay: QUANTITY_SYNC_DELAY_MS } },
  'order-number': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'register-whatsapp': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'verify-whatsapp-code': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'start-billing': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'process-stripe-event': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'process-telnyx-event': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'process-telnyx-call-event': { queue: 'calling', options: AFTER_DIALS },
  'process-meta-event': { queue: 'calling', options: AFTER_DIALS },
  'expire-checkout-session': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'sync-whatsapp-calling': { queue: 'calling', options: AFTER_DIALS },
  'send-call-permission-request': { queue: 'calling', options: AFTER_DIALS },
  'place-call': { queue: 'calling', options: PROVIDER_CALL_RETRY },
  'answer-inbound-call': { queue: 'calling', options: PROVIDER_CALL_RETRY },
  'hang-up-inbound-call': { queue: 'calling', options: PROVIDER_CALL_RETRY },
  'reconcile-pending-checkouts': { queue: 'billing', ...SCHEDULED },
  'resume-stalled-provisioning': { queue: 'provisioning', ...SCHEDULED },
  'resume-stalled-billing': { queue: 'billing', ...SCHEDULED },
  'resume-stalled-calling': { queue: 'calling', ...SCHEDULED },
  'resubmit-requirement-group': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'settle-regulatory-verdict': { queue: 'provisioning', options: PROVIDER_CALL_RETRY },
  'credit-slot-charges': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'reconcile-subscription-quantities': { queue: 'billing', ...SCHEDULED },
  'adopt-checkout-subscription': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'settle-invoice': { queue: 'billing', options: PROVIDER_CALL_RETRY },
  'deliver-webhook': { queue: 'deliveries', options: WEBHOOK_DELIVERY_RETRY, redrive: false },
  'prune-webhook-logs': { queue: 'deliveries', ...SCHEDULED },
  'sweep-stock-watches': { queue: 'provisioning', ...SCHEDULED },
  'redrive-failed-jobs': { queue: 'provisioning', ...SCHEDULED },
  'recover-lost-jobs': { queue: 'provisioning', ...SCHEDULED },
  'erase-expired-kyc': { queue: 'provisioning', ...SCHEDULED },
  'prune-records': { queue: 'provisioning', ...SCHEDULED },
};

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * The options a job is published with: its own, with `providerCallAttempts` (PROVIDER_CALL_ATTEMPTS)
 * as the attempts of every job on the provider-call policy (PROVIDER_CALL_RETRY, whose backoff it
 * shares).
 */
export function publishOptions(name: JobName, providerCallAttempts: number): JobsOptions {
  const { options } = JOBS[name];
  return options.backoff === PROVIDER_CALL_RETRY.backoff ? { ...options, attempts: providerCallAttempts } : options;
}

export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOBS[name].queue === queue);
}

/** A job request as use cases write it to the outbox. */
export interface JobRequest<K extends JobName = JobName> {
  name: K;
  payload: JobPayloads[K];
}

export function jobRequest<K extends JobName>(name: K, payload: JobPayloads[K]): JobRequest<K> {
  return { name, payload };
}

/**
 * The BullMQ job id of an outbox row: deterministic, so a relay that publishes the same row
 * twice (crash between publish and mark) enqueues it once. BullMQ ids must not contain ':'.
 */
export function jobIdFor(name: JobName, outboxId: bigint | string): string {
  return `${name}.${outboxId}`;
}

/** The outbox row a job was published from (`jobIdFor`), or undefined for a job that has none (a scheduled run). */
export function outboxIdOf(name: string, jobId: string | undefined): bigint | undefined {
  const prefix = `${name}.`;
  if (!jobId?.startsWith(prefix)) return undefined;
  const id = jobId.slice(prefix.length);
  return /^\d+$/.test(id) ? BigInt(id) : undefined;
}
