import { createStripeClient, StripeSdkGateway, type StripeGateway } from '@numbers/providers';
import type Stripe from 'stripe';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from './simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export const DAY = 86_400;
/** Periods anchored here run Jan 1 → Feb 1 (31 days) → Mar 1. */
export const JAN_1 = Date.UTC(2026, 0, 1) / 1000;
export const FEB_1 = Date.UTC(2026, 1, 1) / 1000;
export const MAR_1 = Date.UTC(2026, 2, 1) / 1000;

/** A simulator whose webhooks go to a receiver, and the stripe SDK pointed at it: the money specs' bench. */
export interface StripeClockBed {
  receiver: WebhookReceiver;
  sim: RunningSimulator;
  client: Stripe;
  stripe: StripeGateway;
}

export async function startStripeClockBed(): Promise<StripeClockBed> {
  const receiver = await startWebhookReceiver();
  const sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
  const config = appConfigFor(sim.url, sim.telnyxPublicKey);
  const client = createStripeClient(config.stripe);
  return { receiver, sim, client, stripe: new StripeSdkGateway(client, config.stripe.priceId) };
}

export async function stopStripeClockBed(bed: Pick<StripeClockBed, 'sim' | 'receiver'>): Promise<void> {
  await bed.sim?.close();
  await bed.receiver?.close();
}

/** Empties the simulator, freezes its clock at `now` and forgets the webhooks received. */
export async function resetStripeClock(bed: Pick<StripeClockBed, 'sim' | 'receiver'>, now: number): Promise<void> {
  await simFetch(`${bed.sim.url}/_sim/reset`, { method: 'POST' });
  await simFetch(`${bed.sim.url}/_sim/clock`, { method: 'PUT', body: { now } });
  bed.receiver.received.length = 0;
}

/** Moves the simulator clock on, renewing what falls due. */
export function advanceClock(sim: RunningSimulator, seconds: number) {
  return simFetch<{ renewals: number }>(`${sim.url}/_sim/clock/advance`, { body: { seconds } });
}
