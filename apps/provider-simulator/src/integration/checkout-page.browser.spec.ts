import { createStripeClient, StripeSdkGateway, type StripeGateway } from '@numbers/providers';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from '@numbers/test-support';
import type { Browser } from 'playwright-core';
import { isStripeEvent } from '../testing/provider-webhooks';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

/** The hosted checkout page in real headless Chromium (Debian `chromium` + playwright-core). */
describe('hosted checkout page in Chromium', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let stripe: StripeGateway;
  let browser: Browser | undefined;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    stripe = new StripeSdkGateway(createStripeClient(config.stripe), config.stripe.priceId);
    if (HAVE_CHROMIUM) browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sim.close();
    await receiver.close();
  });

  const session = (numberId: string) =>
    stripe.createCheckoutSession(
      {
        accountId: 'acc_p',
        numberId,
        quantity: 1,
        successUrl: `${receiver.url}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancelUrl: `${receiver.url}/cancel`,
        customText: { submit: 'You pay from the day your number is active.', afterSubmit: 'Questions? <Ask us>' },
      },
      `page-${numberId}`,
    );

  if (!HAVE_CHROMIUM) {
    it.skip(`clicks Pay in Chromium — skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`, () => undefined);
    return;
  }

  it('clicks Pay: redirected to success_url with the session id, session complete, webhooks sent', async () => {
    const created = await session('num_p1');
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(created.url as string);
      await expect(page.locator('#amount').textContent()).resolves.toBe('$3.00 due today');
      await expect(page.locator('.line-item').textContent()).resolves.toContain('1 × Phone number');
      // custom_text where Stripe shows it: submit beside the Pay button, after_submit after it, as text.
      await expect(page.locator('#pay').evaluate((pay) => pay.previousElementSibling?.textContent)).resolves.toBe('You pay from the day your number is active.');
      await expect(page.locator('#custom-text-after-submit').textContent()).resolves.toBe('Questions? <Ask us>');

      await Promise.all([page.waitForURL(`${receiver.url}/success?session_id=${created.id}`), page.click('#pay')]);
    } finally {
      await page.close();
    }
    await expect(stripe.getCheckoutSession(created.id)).resolves.toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    await receiver.waitFor(isStripeEvent('checkout.session.completed', (object) => object.id === created.id));
  }, 30_000);

  it('shows a declined card on the page and keeps the session open', async () => {
    const created = await session('num_p2');
    await simFetch(`${sim.url}/_sim/stripe/fail-next-payment`, { body: {} });
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(created.url as string);
      await page.click('#pay');
      await expect(page.locator('#error').textContent()).resolves.toBe('Your card was declined.');
    } finally {
      await page.close();
    }
    await expect(stripe.getCheckoutSession(created.id)).resolves.toMatchObject({ status: 'open' });
  }, 30_000);
});
