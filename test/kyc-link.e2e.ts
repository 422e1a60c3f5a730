// The hosted KYC link, end to end: a customer makes a link through the public `@zernio/node`
// SDK; its end customer, who has no API key, opens the page in Debian's Chromium (through
// playwright-core), switches language, fills every field, uploads the ID document, is shown
// what to correct next to the field, corrects it and submits with the keyboard; the browser
// lands on the customer's redirect_url and the number is in the customer's list, in review.
// The built simulator, gateway and workers run as real processes (test/support/system.ts).
// A screenshot of the page in each language is kept in tmp/test-artifacts/ (not committed).
import { mkdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import Zernio, { ZernioApiError } from '@zernio/node';
import type { Database } from '@numbers/persistence';
import { createTestAccountWithKey, eventually, HAVE_CHROMIUM, launchChromium, TEST_ARTIFACTS_DIR, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import type { Browser, BrowserContext } from 'playwright-core';
import { startSystem, type System } from './support/system';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
// A 1×1 PNG: the customer's logo, served to the browser by the test (the machine has no internet).
const LOGO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const LOGO_URL = 'https://brand.example/acme-logo.png';

interface KycLink {
  url: string;
  token: string;
  expiresAt: string;
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

let system: System;
let db: Database;
let sim: SimulatorProcess;
let baseUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  // A busy machine may take longer than the default to start a process.
  system = await startSystem({}, { readyTimeoutMs: 120_000 });
  ({ db, sim, baseUrl } = system);
  if (HAVE_CHROMIUM) browser = await launchChromium();
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** A customer with a subscription (its first number paid at Checkout), so a link's number is bought on it. */
async function subscribedCustomer(name: string): Promise<{ account: TestAccountWithKey; z: Zernio }> {
  const account = await createTestAccountWithKey(db, { name, planCode: 'growth' });
  const z = new Zernio({ apiKey: account.apiKey, baseURL: baseUrl });
  const bought = dataOf<{ checkoutUrl?: string }>(await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId, country: 'US' } }));
  expect(bought.checkoutUrl).toEqual(expect.stringContaining('/checkout/'));
  const first = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
  await sim.post(`/_sim/stripe/checkout/${first.stripeCheckoutSessionId}/pay`, {});
  await eventually('subscription recorded', async () => {
    const billing = await db.selectFrom('billingAccounts').select('stripeSubscriptionId').where('accountId', '=', account.accountId).executeTakeFirst();
    return Boolean(billing?.stripeSubscriptionId);
  });
  return { account, z };
}

async function createLink(z: Zernio, body: Parameters<Zernio['whatsappphonenumbers']['createWhatsAppNumberKycLink']>[0]['body']) {
  return z.whatsappphonenumbers.createWhatsAppNumberKycLink({ body });
}

/** The status a POST gets when it declares a body of `bytes` and sends none of it. */
function statusBeforeBody(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(bytes) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => reject(new Error('no answer before the body was sent')));
    req.flushHeaders();
  });
}

/** A page in a context that serves the customer's logo. */
async function newContext(): Promise<BrowserContext> {
  const context = await (browser as Browser).newContext({ viewport: { width: 900, height: 1000 } });
  await context.route(LOGO_URL, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: LOGO }));
  return context;
}

describe('createWhatsAppNumberKycLink', () => {
  it('answers {url, token, expiresAt}; refuses another account’s profile (404), bad input (400 naming param), and no key (401)', async () => {
    const acme = await createTestAccountWithKey(db, { name: 'Acme links', planCode: 'growth' });
    const other = await createTestAccountWithKey(db, { name: 'Other links', planCode: 'growth' });
    const z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });

    const created = await createLink(z, { profileId: acme.profileId, country: 'de' });
    expect(created.response.status).toBe(200);
    const link = dataOf<KycLink>(created);
    expect(link.url).toBe(`${system.env['PUBLIC_BASE_URL']}/kyc-link?token=${link.token}`);
    expect(link.token).toMatch(/^kycl_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(link.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Only the token's hash is kept.
    const stored = await db.selectFrom('kycLinks').selectAll().where('accountId', '=', acme.accountId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ country: 'DE', profileId: acme.profileId, submittedAt: null });
    expect(JSON.stringify(stored)).not.toContain(link.token);

    const foreign = await createLink(z, { profileId: other.profileId, country: 'DE' }).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(ZernioApiError);
    expect(foreign).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });

    const refusals: [Record<string, unknown>, string][] = [
      [{ country: 'DE' }, 'profileId'],
      [{ profileId: acme.profileId, country: 'US' }, 'country'],
      [{ profileId: acme.profileId, country: 'DE', language: 'fr' }, 'language'],
      [{ profileId: acme.profileId, country: 'DE', areaCode: '30' }, 'areaCode'],
      [{ profileId: acme.profileId, country: 'DE', branding: { brandColor: 'red' } }, 'branding.brandColor'],
      [{ profileId: acme.profileId, country: 'DE', branding: { logoUrl: 'javascript:alert(1)' } }, 'branding.logoUrl'],
      [{ profileId: acme.profileId, country: 'DE', redirect_url: '/relative' }, 'redirect_url'],
    ];
    for (const [body, param] of refusals) {
      const refused = await createLink(z, body as never).catch((e: unknown) => e);
      expect(refused).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', param });
    }

    const anonymous = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers/kyc/share`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profileId: acme.profileId, country: 'DE' }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('the hosted KYC page', () => {
  it('answers 404 for an unknown token and 410 for an expired one, as pages that say so', async () => {
    const unknown = await fetch(`${baseUrl}/kyc-link?token=kycl_${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('text/html');
    expect(await unknown.text()).toContain('This link is not valid');
    expect((await fetch(`${baseUrl}/kyc-link`)).status).toBe(404);

    const acme = await createTestAccountWithKey(db, { name: 'Acme expired', planCode: 'growth' });
    const z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
    const link = dataOf<KycLink>(await createLink(z, { profileId: acme.profileId, country: 'DE', language: 'es' }));
    await db.updateTable('kycLinks').set({ expiresAt: new Date(Date.now() - 1000) }).where('accountId', '=', acme.accountId).execute();
    const expired = await fetch(link.url);
    expect(expired.status).toBe(410);
    const html = await expired.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Este enlace ha caducado');
    // Nor can it be submitted.
    const posted = await fetch(link.url, { method: 'POST', body: new FormData() });
    expect(posted.status).toBe(410);
    // A large body is not even read for a link that is not open: the answer comes before it is sent.
    await expect(statusBeforeBody(link.url, 5 * 1024 * 1024)).resolves.toBe(404);
    await expect(statusBeforeBody(`${baseUrl}/kyc-link?token=kycl_${'B'.repeat(43)}`, 5 * 1024 * 1024)).resolves.toBe(404);
  });

  const inChromium = HAVE_CHROMIUM ? it : it.skip;
  inChromium('filled in Chromium: every field, a file, an error next to its field, submitted by keyboard; the number is pending_regulatory in the list', async () => {
    const { account, z } = await subscribedCustomer('Acme hosted');
    const redirect = `${baseUrl}/checkout/success?from=acme`;
    const link = dataOf<KycLink>(
      await createLink(z, {
        profileId: account.profileId,
        country: 'DE',
        language: 'es',
        branding: { companyName: 'Acme <Telecom>', logoUrl: LOGO_URL, brandColor: '#0a7d4f' },
        redirect_url: redirect,
      }),
    );
    const context = await newContext();
    const page = await context.newPage();
    try {
      // The link's language, then each language through ?lang=, with its screenshot.
      const opened = await page.goto(link.url);
      expect(opened?.status()).toBe(200);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      mkdirSync(TEST_ARTIFACTS_DIR, { recursive: true });
      const titles = { en: 'Identity verification for a phone number in Germany', es: 'Verificación de identidad para un número de teléfono en Alemania', 'pt-BR': 'Verificação de identidade para um número de telefone na Alemanha' };
      for (const [language, title] of Object.entries(titles)) {
        await page.getByRole('navigation').getByRole('link', { name: language === 'en' ? 'English' : language === 'es' ? 'Español' : 'Português (Brasil)' }).click();
        await page.waitForURL((url) => url.searchParams.get('lang') === language);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
        // Branding: the company (escaped, shown as text), its logo, its colour.
        await expect(page.locator('.company').textContent()).resolves.toBe('Acme <Telecom>');
        await expect(page.evaluate("document.querySelector('img.logo').naturalWidth")).resolves.toBe(1);
        await expect(page.evaluate("getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor")).resolves.toBe('rgb(10, 125, 79)');
        const screenshot = path.join(TEST_ARTIFACTS_DIR, `kyc-link-${language}.png`);
        await page.screenshot({ path: screenshot, fullPage: true });
        expect(statSync(screenshot).size).toBeGreaterThan(10_000);
      }
      // pt-BR now: the reference data's translated field texts, every control reached by its label.
      await expect(page.getByRole('group', { name: 'Endereço na Alemanha' }).isVisible()).resolves.toBe(true);
      await page.getByLabel('Nome da empresa').fill('Acme GmbH');
      await page.getByLabel('Nome', { exact: true }).fill('Erika');
      await page.getByLabel('Sobrenome').fill('Mustermann');
      await page.getByLabel('Rua e número').fill('Friedrichstrasse 68');
      await page.getByLabel('Complemento').fill('3. OG');
      await page.getByLabel('CEP').fill('1011'); // not a German postal code
      await page.getByLabel('Cidade').fill('Berlin');
      await page.getByLabel('Estado ou região').fill('Berlin');
      await page.getByLabel(/Documento de identidade/).setInputFiles({ name: 'ausweis.pdf', mimeType: 'application/pdf', buffer: PDF });
      const refused = await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.getByRole('button', { name: 'Enviar para análise' }).click()]);
      expect(refused[0].status()).toBe(400);

      // The error next to the field, the field marked, the values kept, the summary linking to it.
      const postal = page.getByLabel('CEP');
      await expect(postal.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await postal.getAttribute('aria-describedby')) ?? '';
      await expect(page.locator(`#${describedBy.split(' ').pop()}`).textContent()).resolves.toContain('postal_code is not a DE postal code');
      await expect(page.getByRole('alert').getByRole('link').getAttribute('href')).resolves.toBe('#f-address-postal_code');
      await expect(page.getByLabel('Rua e número').inputValue()).resolves.toBe('Friedrichstrasse 68');
      await expect(page.getByLabel('Nome da empresa').inputValue()).resolves.toBe('Acme GmbH');

      // Corrected, the file chosen again, sent with Enter from the keyboard.
      await postal.fill('10117');
      await page.getByLabel(/Documento de identidade/).setInputFiles({ name: 'ausweis.pdf', mimeType: 'application/pdf', buffer: PDF });
      await postal.focus();
      await Promise.all([page.waitForURL((url) => url.pathname === '/checkout/success'), page.keyboard.press('Enter')]);
      const landed = new URL(page.url());
      expect(Object.fromEntries(landed.searchParams)).toEqual({ from: 'acme', kyc: 'submitted', country: 'DE' });
    } finally {
      await context.close();
    }

    // The number is the customer's, in review, registered for the company; the document stored with it.
    const list = await eventually('the number in review', async () => {
      const numbers = dataOf<{ numbers: { _id: string; status: string; country: string; registrantName: string | null }[] }>(
        await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { status: 'pending_regulatory' } }),
      ).numbers.filter((n) => n.country === 'DE');
      return numbers.length === 1 && numbers[0].status === 'pending_regulatory' ? numbers : null;
    });
    expect(list[0]).toMatchObject({ registrantName: 'Acme GmbH' });
    const stored = await db.selectFrom('kycLinks').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ numberId: list[0]._id, submittedAt: expect.any(Date) });
    const kyc = await db.selectFrom('regulatoryCases').selectAll().where('numberId', '=', list[0]._id).executeTakeFirstOrThrow();
    const documentId = (kyc.documents as Record<string, string>)['req_de_id'];
    await expect(db.selectFrom('kycDocuments').select(['filename', 'contentType', 'sizeBytes']).where('id', '=', documentId).executeTakeFirst()).resolves.toEqual({
      filename: 'ausweis.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
    });

    // Used: the page says so (410) and takes no second submission.
    const again = await fetch(`${link.url}&lang=en`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link was used already');
    const form = new FormData();
    form.set('address.business_name', 'Someone else');
    expect((await fetch(link.url, { method: 'POST', body: form })).status).toBe(410);
    expect(await db.selectFrom('phoneNumbers').select('id').where('accountId', '=', account.accountId).where('country', '=', 'DE').execute()).toHaveLength(1);
  }, 120_000);
});
