import { isBillable } from '@numbers/domain';
import { CHECKOUT_NOT_CREATED_REASON, type Database } from '@numbers/persistence';
import type { SimulatorProcess } from '@numbers/test-support';
import type { LoadResult } from '../load/workload';

/** A piece of work lost (never done, or left half-way) or doubled (done twice, or left behind at a provider). */
export interface Finding {
  kind: 'lost' | 'doubled';
  what: string;
  detail: string;
}

interface SimState {
  stripe: {
    customers: { id: string }[];
    subscriptions: { id: string; customer: string; status: string; quantity: number }[];
    invoiceItems: { id: string; amount: number; proration: boolean; metadata: Record<string, string> }[];
  };
  telnyx: {
    numbers: { phoneNumber: string; status: string }[];
    orders: { customerReference: string | null; status: string }[];
  };
  meta: { numbers: { id: string; phoneNumber: string; registered: boolean }[] };
}

interface SimCalling {
  messages: { numberId: string; to: string; interactiveType: string | null }[];
}

const digits = (phone: string | null) => (phone ?? '').replace(/\D/g, '');
const countBy = <T>(items: T[], key: (item: T) => string | null | undefined) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
};

/**
 * Compares what the load asked for with what PostgreSQL and the providers (the simulator's
 * state) hold once the system is quiet: every number and call in its correct end state, each
 * provider effect exactly once per thing that needed one, Stripe's quantity equal to the billable
 * numbers, no charge for a number that never became active.
 */
export async function checkEndState(db: Database, sim: SimulatorProcess, load: LoadResult): Promise<Finding[]> {
  const findings: Finding[] = [];
  const lost = (what: string, detail: string) => findings.push({ kind: 'lost', what, detail });
  const doubled = (what: string, detail: string) => findings.push({ kind: 'doubled', what, detail });

  const [numbers, charges, prorations, intents, billing, calls, prompts, failedJobs] = await Promise.all([
    db.selectFrom('phoneNumbers').select(['id', 'accountId', 'status', 'paidFirst', 'phoneNumber', 'metaPhoneNumberId', 'activatedAt', 'failureReason']).where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('ledgerEntries').select(['numberId']).where('kind', '=', 'charge').where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('ledgerEntries').select(['numberId']).where('kind', '=', 'proration').where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('purchaseIntents').select(['intentId', 'numberId']).where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('billingAccounts').select(['accountId', 'stripeCustomerId', 'stripeSubscriptionId']).where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('calls').select(['id', 'numberId', 'status', 'telnyxCallControlId']).where('accountId', 'in', load.accountIds).execute(),
    db.selectFrom('callPermissionPrompts').select(['numberId', 'consumer', 'status']).execute(),
    db.selectFrom('failedJobs').select(['name', 'status', 'payload', 'lastError']).where('status', 'in', ['waiting', 'abandoned']).execute(),
  ]);
  const [state, calling, simCalls] = await Promise.all([
    sim.get<SimState>('/_sim/state'),
    sim.get<SimCalling>('/_sim/meta/calling'),
    sim.get<{ calls: { commandId: string | null; callControlId: string }[] }>('/_sim/telnyx/calls'),
  ]);
  const byId = new Map(numbers.map((n) => [n.id, n]));
  const intentNumber = new Map(intents.map((i) => [i.intentId, i.numberId]));

  // Numbers: each purchase one number, in its correct end state; no number nobody asked for.
  const asked = new Set<string>();
  const wrongEnd: { number: (typeof numbers)[number]; country: string; expected: string }[] = [];
  for (const purchase of load.purchases) {
    const numberId = purchase.numberId ?? intentNumber.get(purchase.key) ?? undefined;
    if (!numberId) continue; // never answered and never created: the client gave up (a load problem, reported apart)
    asked.add(numberId);
    const number = byId.get(numberId);
    const expected = purchase.released ? 'released' : 'active';
    if (!number) lost('number', `${numberId} (${purchase.country}) not in the database`);
    else if (number.status !== expected) wrongEnd.push({ number, country: purchase.country, expected });
  }
  // How a number reached the wrong end, for the post-mortem: its failure reason and its path.
  for (const { number, country, expected } of wrongEnd) {
    const path = await db.selectFrom('numberStatusHistory').select(['event', 'cause', 'toStatus']).where('numberId', '=', number.id).where('applied', '=', true).orderBy('id').execute();
    const steps = path.map((step) => `${step.event} -> ${step.toStatus}${step.cause ? ` (${step.cause})` : ''}`).join(', ');
    lost('number', `${number.id} (${country}) is ${number.status}, expected ${expected}; failure reason: ${number.failureReason ?? 'none'}; path: ${steps}`);
  }
  // A first purchase whose Checkout Stripe could not create is undone (released, its intent
  // forgotten) and answered 503; the load's retry buys anew. The undone one is no doubling: the
  // checks below hold it to no order, registration or charge like any other number.
  const undone = (n: (typeof numbers)[number]) => n.status === 'released' && n.failureReason === CHECKOUT_NOT_CREATED_REASON;
  for (const number of numbers) if (!asked.has(number.id) && !undone(number)) doubled('number', `${number.id} (${number.status}) was never asked for`);

  // Carrier: one successful order per number that got one, a live carrier number exactly for the active ones.
  const orders = countBy(state.telnyx.orders.filter((o) => o.status === 'success'), (o) => o.customerReference);
  const liveAtCarrier = countBy(state.telnyx.numbers.filter((n) => n.status !== 'deleted'), (n) => digits(n.phoneNumber));
  const registered = countBy(state.meta.numbers.filter((n) => n.registered), (n) => digits(n.phoneNumber));
  const activePhones = new Set(numbers.filter((n) => n.status === 'active').map((n) => digits(n.phoneNumber)));
  for (const number of numbers) {
    const ordered = orders.get(number.id) ?? 0;
    if (ordered > 1) doubled('carrier order', `${number.id}: ${ordered} successful orders`);
    if (number.status === 'active') {
      if (ordered === 0) lost('carrier order', `${number.id} is active without a successful order`);
      if ((liveAtCarrier.get(digits(number.phoneNumber)) ?? 0) !== 1) lost('carrier number', `${number.id} (${number.phoneNumber}) is not live at the carrier`);
      const atMeta = registered.get(digits(number.phoneNumber)) ?? 0;
      if (atMeta === 0) lost('Meta registration', `${number.id} (${number.phoneNumber}) is not registered at Meta`);
      if (atMeta > 1) doubled('Meta registration', `${number.id} (${number.phoneNumber}): ${atMeta} registrations`);
    }
  }
  for (const [phone, n] of liveAtCarrier) if (!activePhones.has(phone)) doubled('carrier number', `+${phone}: ${n} live at the carrier, no active number holds it`);
  for (const [phone] of registered) if (!activePhones.has(phone)) doubled('Meta registration', `+${phone} registered at Meta, no active number holds it`);

  // Stripe: one live subscription per customer, its quantity the billable numbers; one charge per
  // number that became active, none for one that never did; unused time credited once on release.
  const chargeCount = countBy(charges, (c) => c.numberId);
  const prorationCount = countBy(prorations, (c) => c.numberId);
  const positiveItems = countBy(state.stripe.invoiceItems.filter((i) => !i.proration && i.amount > 0), (i) => i.metadata['numberId']);
  for (const number of numbers) {
    const charged = chargeCount.get(number.id) ?? 0;
    const items = positiveItems.get(number.id) ?? 0;
    if (charged > 1 || items > 1) doubled('Stripe charge', `${number.id}: ${charged} charge rows, ${items} invoice items`);
    // A number released before its billing started was never charged: nothing to credit either.
    if (number.activatedAt && charged === 0 && number.status !== 'released') lost('Stripe charge', `${number.id} became active and was never charged`);
    if (!number.activatedAt && (charged > 0 || items > 0)) doubled('Stripe charge', `${number.id} never became active and was charged (${charged} rows, ${items} items)`);
    if (charged > 0 && number.status === 'released' && (prorationCount.get(number.id) ?? 0) !== 1) lost('unused time credit', `${number.id} charged, then released: ${prorationCount.get(number.id) ?? 0} proration rows`);
  }
  for (const account of billing) {
    const live = state.stripe.subscriptions.filter((s) => s.customer === account.stripeCustomerId && s.status !== 'canceled' && s.status !== 'incomplete_expired');
    // The product's own rule: a number paid for at Checkout holds its slot while it is provisioned.
    const billable = numbers.filter((n) => n.accountId === account.accountId && isBillable(n.status, n.paidFirst)).length;
    if (live.length > 1) doubled('Stripe subscription', `account ${account.accountId}: ${live.length} live subscriptions`);
    const quantity = live.find((s) => s.id === account.stripeSubscriptionId)?.quantity ?? 0;
    if (quantity !== billable) (quantity > billable ? doubled : lost)('Stripe quantity', `account ${account.accountId}: quantity ${quantity}, billable numbers ${billable}`);
  }

  // Prompts: one per (number, consumer) the load asked permission of, at Meta too.
  const metaPrompts = countBy(calling.messages.filter((m) => m.interactiveType === 'call_permission_request'), (m) => `${m.numberId}|${m.to}`);
  const ourPrompts = countBy(prompts, (p) => `${p.numberId}|${digits(p.consumer)}`);
  for (const pair of load.pairs) {
    const atMeta = metaPrompts.get(`${pair.metaPhoneNumberId}|${digits(pair.consumer)}`) ?? 0;
    const ours = ourPrompts.get(`${pair.numberId}|${digits(pair.consumer)}`) ?? 0;
    if (atMeta !== 1) (atMeta > 1 ? doubled : lost)('permission prompt', `${pair.numberId} to ${pair.consumer}: ${atMeta} at Meta`);
    if (ours !== 1) (ours > 1 ? doubled : lost)('permission prompt', `${pair.numberId} to ${pair.consumer}: ${ours} recorded`);
  }

  // Calls: each placed call one row, ended or failed, dialed at most once; no dial without a row.
  const callById = new Map(calls.map((c) => [c.id, c]));
  const dials = countBy(simCalls.calls, (c) => c.commandId);
  const placed = new Set<string>();
  for (const call of load.calls) {
    if (!call.callId) continue;
    placed.add(call.callId);
    const row = callById.get(call.callId);
    if (!row) lost('call', `${call.callId} answered to the client, not in the database`);
    else if (row.status !== 'ended' && row.status !== 'failed') lost('call', `${call.callId} is still ${row.status}`);
    const dialed = dials.get(call.callId) ?? 0;
    if (dialed > 1) doubled('dialed call', `${call.callId}: dialed ${dialed} times`);
    if (row?.status === 'ended' && dialed === 0) lost('dialed call', `${call.callId} ended without a dial at the carrier`);
  }
  for (const row of calls) if (!placed.has(row.id)) doubled('call', `${row.id} (${row.status}) was never answered to a client`);
  for (const [commandId, n] of dials) if (!callById.has(commandId)) doubled('dialed call', `${n} dial(s) with command ${commandId}, no call row`);

  for (const job of failedJobs) lost('job', `${job.name} ${job.status} ${JSON.stringify(job.payload)}: ${job.lastError ?? ''}`.slice(0, 300));
  return findings;
}
