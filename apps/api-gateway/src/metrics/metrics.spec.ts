import { newId } from '@numbers/domain';
import { startGatewayForTest, seedAccount, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';
import { stripeEvent, stripeSignature } from '../testing/webhook-signing';

/** Integration: the real gateway (database and Redis of this file): its /metrics and /health/*. */
let ctx: GatewayTestContext;
let account: SeededAccount;

beforeAll(async () => {
  ctx = await startGatewayForTest();
  account = await seedAccount(ctx.database);
});

afterAll(async () => {
  await ctx?.close();
});

async function scrape(): Promise<string> {
  const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
  return res.body;
}

/** The value of one sample of the Prometheus text (`name{labels}`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('GET /metrics (gateway)', () => {
  it('times requests by method, route template and status: ids never become labels', async () => {
    const id = newId();
    const series = 'numbers_http_request_duration_seconds_count{method="GET",route="/v1/whatsapp/phone-numbers/:phoneNumberId",status_code="404"}';
    const before = await scrape();
    for (let i = 0; i < 2; i++) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/whatsapp/phone-numbers/${id}`, headers: { authorization: account.bearer } });
      expect(res.statusCode).toBe(404);
    }
    await ctx.app.inject({ method: 'GET', url: `/no/such/${id}` });
    const after = await scrape();
    expect(sample(after, series) - sample(before, series)).toBe(2);
    expect(sample(after, 'numbers_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(id);
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('counts the statements the gateway sent to PostgreSQL', async () => {
    const series = 'numbers_database_statements_total';
    const before = await scrape();
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/whatsapp/phone-numbers/${newId()}`, headers: { authorization: account.bearer } });
    expect(res.statusCode).toBe(404);
    const after = await scrape();
    expect(sample(after, series)).toBeGreaterThan(sample(before, series));
    expect(sample(after, series)).toBe(ctx.database.statementsSent);
  });

  it("counts providers' webhook events by provider and outcome", async () => {
    const stored = 'numbers_webhooks_received_total{provider="stripe",outcome="stored"}';
    const duplicate = 'numbers_webhooks_received_total{provider="stripe",outcome="duplicate"}';
    const forged = 'numbers_webhooks_received_total{provider="stripe",outcome="invalid_signature"}';
    const before = await scrape();
    const body = JSON.stringify(stripeEvent('invoice.paid', { id: 'in_metrics' }));
    for (let i = 0; i < 2; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', ...stripeSignature(body, ctx.config.stripe.webhookSecret) }, payload: body });
      expect(res.statusCode).toBe(200);
    }
    const refused = await ctx.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, payload: body });
    expect(refused.statusCode).toBe(400);
    const after = await scrape();
    expect([stored, duplicate, forged].map((s) => sample(after, s) - sample(before, s))).toEqual([1, 1, 1]);
  });
});

describe('GET /health/live and /health/ready (gateway)', () => {
  it('is live, and ready while PostgreSQL and Redis answer', async () => {
    const live = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', info: { gateway: { status: 'up' }, database: { status: 'up' }, redis: { status: 'up' } } });
  });
});
