// An Idempotency-Key claim outlives a request slower than IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: the
// gateway's real module, a first purchase whose Stripe Checkout call the simulator holds.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { seedAccount, type SeededAccount } from '../testing/gateway-test-app';
import { startGatewayWithSimulator, type GatewayWithSimulator } from '../testing/gateway-with-simulator';
import { REPLAYED_HEADER } from './idempotent-requests';

jest.setTimeout(120_000);

const PURCHASE = '/v1/whatsapp/phone-numbers/purchase';
const IN_FLIGHT_TIMEOUT_MS = 1000;

let ctx: GatewayWithSimulator;
let app: NestFastifyApplication;

beforeAll(async () => {
  ctx = await startGatewayWithSimulator({ IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: String(IN_FLIGHT_TIMEOUT_MS) });
  app = ctx.app;
});

afterAll(async () => {
  await ctx?.close();
});

async function purchase(account: SeededAccount, key: string) {
  const res = await app.inject({
    method: 'POST',
    url: PURCHASE,
    headers: { authorization: account.bearer, 'idempotency-key': key },
    payload: { profileId: account.profileId },
  });
  return { status: res.statusCode, body: res.json(), replayed: res.headers[REPLAYED_HEADER.toLowerCase()] };
}

it('keeps a claim whose request runs past IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: a retry meanwhile is 409, then replays; one number bought', async () => {
  const acme = await seedAccount(ctx.database, 'Slow purchase', 'growth');
  await ctx.sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/checkout/sessions', action: 'delay', delayMs: 3 * IN_FLIGHT_TIMEOUT_MS, times: 1 });
  const first = purchase(acme, 'slow');
  await new Promise((resolve) => setTimeout(resolve, 2 * IN_FLIGHT_TIMEOUT_MS));

  expect(await purchase(acme, 'slow')).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_IN_FLIGHT' } });
  const answer = await first;
  expect(answer).toMatchObject({ status: 200, body: { checkoutUrl: expect.any(String) }, replayed: undefined });
  expect(await purchase(acme, 'slow')).toEqual({ ...answer, replayed: 'true' });
  const numbers = await ctx.database.selectFrom('phoneNumbers').select('id').where('accountId', '=', acme.accountId).execute();
  expect(numbers).toHaveLength(1);
});
