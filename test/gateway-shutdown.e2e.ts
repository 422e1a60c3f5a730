// A deploy stopping the gateway under load: the built gateway process gets SIGTERM while a purchase
// waits on Stripe (the simulator holds the call). Readiness goes false first, then the listener
// closes, and the purchase in flight still finishes with its database writes: the pool closes
// only after the last request.
import type { Database } from '@numbers/persistence';
import { createTestAccountWithKey, eventually, type SimulatorProcess, type StartedProcess } from '@numbers/test-support';
import { startGateway, type GatewaySystem } from './support/system';

const HOLD_MS = 3000; // how long the simulator holds Stripe's Checkout Session call
const READINESS_DELAY_MS = 1000;

let system: GatewaySystem;
let db: Database;
let sim: SimulatorProcess;
let gateway: StartedProcess;
let baseUrl: string;

beforeAll(async () => {
  system = await startGateway({ GATEWAY_SHUTDOWN_DELAY_MS: String(READINESS_DELAY_MS) });
  ({ db, sim, gateway, baseUrl } = system);
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

/** A GET on a connection of its own: the status, or the network error's code. */
async function probe(path: string): Promise<number | string> {
  try {
    const res = await fetch(`${baseUrl}${path}`, { headers: { connection: 'close' } });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return ((error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
  }
}

it('on SIGTERM: not ready first, then refuses new connections, finishes the request in flight, and exits', async () => {
  const account = await createTestAccountWithKey(db, { name: 'Shutdown', planCode: 'growth' });
  await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/checkout/sessions', action: 'delay', delayMs: HOLD_MS, times: 1 });
  const purchase = fetch(`${baseUrl}/v1/whatsapp/phone-numbers/purchase`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ profileId: account.profileId }),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { checkoutUrl?: string }, connection: res.headers.get('connection') }));
  await eventually('Stripe holds the purchase', async () => (await sim.get<{ faults: unknown[] }>('/_sim/faults')).faults.length === 0);

  const signalled = Date.now();
  gateway.kill('SIGTERM');
  await eventually('health answers 503 while the listener is still open', async () => (await probe('/health')) === 503);
  expect(Date.now() - signalled).toBeLessThan(READINESS_DELAY_MS);
  await eventually('new connections are refused', async () => (await probe('/health')) === 'ECONNREFUSED');
  const refusedAfter = Date.now() - signalled;
  expect(refusedAfter).toBeGreaterThanOrEqual(READINESS_DELAY_MS);
  expect(refusedAfter).toBeLessThan(HOLD_MS);

  const answer = await purchase;
  expect(answer).toMatchObject({ status: 200, body: { checkoutUrl: expect.any(String) }, connection: 'close' });
  // The purchase wrote its session after Stripe answered: the pool was still open.
  const number = await db.selectFrom('phoneNumbers').select(['status', 'stripeCheckoutSessionId']).where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
  expect(number).toEqual({ status: 'pending_payment', stripeCheckoutSessionId: expect.stringMatching(/^cs_/) });
  expect(await gateway.exited).toMatchObject({ signal: 'SIGTERM' });
  expect(gateway.logs()).not.toMatch(/"statusCode":500|Cannot use a pool after calling end/);
});
