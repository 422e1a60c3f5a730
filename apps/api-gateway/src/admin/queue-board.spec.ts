import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { QUEUES } from '@numbers/contracts';
import { HAVE_CHROMIUM, launchChromium, TEST_ARTIFACTS_DIR } from '@numbers/test-support';
import { startGatewayForTest, type GatewayTestContext } from '../testing/gateway-test-app';
import { QUEUE_BOARD_PATH } from './queue-board';

const TOKEN = 'operators-only-token-for-this-test-0123456789';
/** Kept after the run for a person to look at. */
const SCREENSHOT = path.join(TEST_ARTIFACTS_DIR, 'queue-board.png');
const API_QUEUES = `${QUEUE_BOARD_PATH}/api/queues`;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('queue dashboard (/admin/queues) with ADMIN_TOKEN', () => {
  let ctx: GatewayTestContext;
  let url: string;

  beforeAll(async () => {
    ctx = await startGatewayForTest({ env: { ADMIN_TOKEN: TOKEN } });
    await ctx.app.listen(0, '127.0.0.1');
    url = await ctx.app.getUrl();
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('answers 401 {"error":"Unauthorized"} with a Basic challenge to anyone without the token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: basic('admin', 'wrong') },
      { authorization: basic(TOKEN, '') },
      { authorization: TOKEN },
    ]) {
      for (const target of [QUEUE_BOARD_PATH, API_QUEUES, `${QUEUE_BOARD_PATH}/static/favicon-32x32.png`]) {
        const res = await ctx.app.inject({ method: 'GET', url: target, headers });
        expect({ target, headers, status: res.statusCode, body: res.body }).toEqual({ target, headers, status: 401, body: '{"error":"Unauthorized"}' });
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(res.headers['x-request-id']).toBeTruthy();
      }
    }
    // A retry through the board's API, refused before it reaches a queue.
    const retry = await ctx.app.inject({ method: 'PUT', url: `${API_QUEUES}/provisioning/retry/failed` });
    expect([retry.statusCode, retry.json()]).toEqual([401, { error: 'Unauthorized' }]);
  });

  it('lists every queue of the registry through the board API, with a Bearer token or Basic credentials', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, basic('operator', TOKEN)]) {
      const res = await ctx.app.inject({ method: 'GET', url: API_QUEUES, headers: { authorization } });
      expect(res.statusCode).toBe(200);
      const names = (res.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
      expect(names.sort()).toEqual([...QUEUES].sort());
    }
    const page = await ctx.app.inject({ method: 'GET', url: QUEUE_BOARD_PATH, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it("keeps the gateway's body limit and error shape on the board's routes", async () => {
    const res = await ctx.app.inject({
      method: 'PUT',
      url: `${API_QUEUES}/provisioning/retry/failed`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(20_000) }),
    });
    expect([res.statusCode, res.json()]).toEqual([413, { error: 'Request body too large', code: 'PAYLOAD_TOO_LARGE' }]);
    const notJson = await ctx.app.inject({
      method: 'PUT',
      url: `${API_QUEUES}/provisioning/retry/failed`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  const inChromium = HAVE_CHROMIUM ? it : it.skip;
  inChromium(`shows the queues in Chromium, logged in with Basic credentials as a browser sends them (screenshot: tmp/test-artifacts)`, async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ httpCredentials: { username: 'operator', password: TOKEN }, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const shown = await page.goto(`${url}${QUEUE_BOARD_PATH}`);
      expect(shown?.status()).toBe(200);
      for (const name of QUEUES) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('queue dashboard without ADMIN_TOKEN', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await startGatewayForTest({ env: { ADMIN_TOKEN: undefined } });
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('is not mounted: 404 in the API shape, whatever the credentials', async () => {
    for (const target of [QUEUE_BOARD_PATH, API_QUEUES]) {
      const res = await ctx.app.inject({ method: 'GET', url: target, headers: { authorization: `Bearer ${TOKEN}` } });
      expect([target, res.statusCode, res.json()]).toEqual([target, 404, { error: 'Not found', code: 'NOT_FOUND' }]);
    }
  });
});
