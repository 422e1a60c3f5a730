// The KYC endpoints: the gateway's real module on a database of its own, Stripe and Telnyx played
// by the built provider simulator through the real SDKs.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newId } from '@numbers/domain';
import { KycVault, RegulatoryCaseRepository, type Database } from '@numbers/persistence';
import { seedAccount, seedNumber, type SeededAccount } from '../testing/gateway-test-app';
import { startGatewayWithSimulator, type GatewayWithSimulator } from '../testing/gateway-with-simulator';

jest.setTimeout(120_000);

const KYC = '/v1/whatsapp/phone-numbers/kyc';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00');

let ctx: GatewayWithSimulator;
let app: NestFastifyApplication;
let database: Database;

const ADDRESS = { country_code: 'DE', business_name: 'Acme GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };
const germanKyc = (account: SeededAccount, extra: Record<string, unknown> = {}) => ({
  profileId: account.profileId,
  country: 'DE',
  address: ADDRESS,
  documents: [{ requirementId: 'req_de_id', filename: 'ausweis.pdf', base64: PDF.toString('base64') }],
  ...extra,
});

async function call(account: SeededAccount, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: { authorization: account.bearer, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
}

async function upload(account: SeededAccount, bytes: Buffer | string, headers: Record<string, string>) {
  const res = await app.inject({ method: 'POST', url: `${KYC}/upload-document`, headers: { authorization: account.bearer, ...headers }, payload: bytes });
  return { status: res.statusCode, body: res.json() };
}

/** An account whose first number was paid for: later purchases go on its subscription. */
async function withSubscription(account: SeededAccount): Promise<void> {
  await database
    .insertInto('billingAccounts')
    .values({
      accountId: account.accountId,
      stripeCustomerId: `cus_seed_${account.accountId}`,
      stripeSubscriptionId: `sub_seed_${account.accountId}`,
      stripeSubscriptionItemId: `si_seed_${account.accountId}`,
      subscriptionStatus: 'active',
      quantity: 1,
    })
    .execute();
}

const numbersOf = (accountId: string) => database.selectFrom('phoneNumbers').selectAll().where('accountId', '=', accountId).orderBy('createdAt', 'asc').execute();
const documentsOf = (accountId: string) => database.selectFrom('kycDocuments').selectAll().where('accountId', '=', accountId).execute();
const caseOf = (numberId: string) => database.selectFrom('regulatoryCases').selectAll().where('numberId', '=', numberId).executeTakeFirstOrThrow();

beforeAll(async () => {
  ctx = await startGatewayWithSimulator({ PUBLIC_BASE_URL: 'https://numbers.test' });
  app = ctx.app;
  database = ctx.database;
});

afterAll(async () => {
  await ctx?.close();
});

describe('GET /v1/whatsapp/phone-numbers/kyc', () => {
  let acme: SeededAccount;
  beforeAll(async () => {
    acme = await seedAccount(database, 'Form', 'scale');
  });

  it('answers the fields of the country’s form, nothing to reuse, no review pending', async () => {
    const res = await call(acme, 'GET', `${KYC}?country=de&profileId=${acme.profileId}&numberType=local`);
    expect(res).toMatchObject({ status: 200 });
    expect(res.body).toEqual({
      country: 'DE',
      numberType: 'local',
      fields: [
        expect.objectContaining({ requirementId: 'req_de_address', label: 'Address in Germany', kind: 'address', localTo: 'DE', audience: null }),
        expect.objectContaining({ requirementId: 'req_de_id', label: 'ID document', kind: 'file', localTo: null, example: 'personalausweis.pdf' }),
      ],
      reusable: null,
      pendingReview: false,
    });
    const brazil = await call(acme, 'GET', `${KYC}?country=BR&profileId=${acme.profileId}`);
    expect(brazil.body.fields.map((f: { kind: string }) => f.kind)).toEqual(['text', 'address', 'file']);
  });

  it('is 400 naming the param for a missing or wrong query, a country without review or another number type', async () => {
    const cases: Array<[string, string]> = [
      [`?profileId=${acme.profileId}`, 'country'],
      ['?country=DE', 'profileId'],
      [`?country=DE&profileId=nope`, 'profileId'],
      [`?country=Germany&profileId=${acme.profileId}`, 'country'],
      [`?country=ZZ&profileId=${acme.profileId}`, 'country'],
      [`?country=US&profileId=${acme.profileId}`, 'country'],
      [`?country=DE&profileId=${acme.profileId}&numberType=cheap`, 'numberType'],
      [`?country=DE&profileId=${acme.profileId}&numberType=mobile`, 'numberType'],
    ];
    for (const [query, param] of cases) {
      const res = await call(acme, 'GET', `${KYC}${query}`);
      expect({ query, res: [res.status, res.body.code, res.body.param] }).toEqual({ query, res: [400, 'VALIDATION_FAILED', param] });
    }
  });

  it('is 404 for a profile of another account, 401 without a key', async () => {
    const other = await seedAccount(database, 'Other form', 'scale');
    expect((await call(acme, 'GET', `${KYC}?country=DE&profileId=${other.profileId}`)).status).toBe(404);
    expect((await app.inject({ method: 'GET', url: `${KYC}?country=DE&profileId=${acme.profileId}` })).statusCode).toBe(401);
  });
});

describe('POST /v1/whatsapp/phone-numbers/kyc: validation', () => {
  let acme: SeededAccount;
  beforeAll(async () => {
    acme = await seedAccount(database, 'Validation', 'scale');
  });

  it('is 400 naming each body field of the wrong shape, and buys nothing', async () => {
    const base = germanKyc(acme);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, profileId: undefined }, 'profileId'],
      [{ ...base, country: 'Germany' }, 'country'],
      [{ ...base, country: 'US' }, 'country'],
      [{ ...base, quantity: 0 }, 'quantity'],
      [{ ...base, quantity: 2 }, 'quantity'],
      [{ ...base, areaCode: '30' }, 'areaCode'],
      [{ ...base, areaCode: 'x' }, 'areaCode'],
      [{ ...base, preOrder: true }, 'preOrder'],
      [{ ...base, submissionId: '' }, 'submissionId'],
      [{ ...base, allowMultiple: 'yes' }, 'allowMultiple'],
      [{ ...base, reuse: 'yes' }, 'reuse'],
      [{ ...base, reuseOptionId: 'x' }, 'reuseOptionId'],
      [{ ...base, endUserFirstName: '' }, 'endUserFirstName'],
      [{ ...base, values: 'x' }, 'values'],
      [{ ...base, values: { req_de_id: 7 } }, 'values.req_de_id'],
      [{ ...base, documents: {} }, 'documents'],
      [{ ...base, documents: [{ requirementId: 'req_de_id' }] }, 'documents.0.base64'],
      [{ ...base, documents: [{ requirementId: 'req_de_id', base64: 'JVBERi0=' }] }, 'documents.0.filename'],
      [{ ...base, documents: [{ requirementId: 'req_de_id', documentId: newId(), base64: 'JVBERi0=', filename: 'a.pdf' }] }, 'documents.0.base64'],
      [{ ...base, address: 'Berlin' }, 'address'],
      [{ ...base, address: { ...ADDRESS, postal_code: 10117 } }, 'address.postal_code'],
    ];
    for (const [body, param] of cases) {
      const res = await call(acme, 'POST', KYC, body);
      expect({ body, res: [res.status, res.body.code, res.body.param] }).toEqual({ body, res: [400, 'VALIDATION_FAILED', param] });
    }
    expect(await numbersOf(acme.accountId)).toEqual([]);
  });

  it('is 400 naming every field the country’s form misses or refuses, in details.issues', async () => {
    const missing = await call(acme, 'POST', KYC, { profileId: acme.profileId, country: 'DE' });
    expect(missing).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', param: 'address', details: { issues: [{ param: 'address' }, { param: 'documents.req_de_id' }] } },
    });

    const wrong = await call(acme, 'POST', KYC, {
      ...germanKyc(acme),
      values: { req_unknown: 'x' },
      address: { ...ADDRESS, country_code: 'FR', postal_code: '1011', street_address: 'Friedrichstrasse' },
      documents: [{ requirementId: 'req_de_id', filename: 'a.gif', base64: GIF.toString('base64') }],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details.issues.map((i: { param: string }) => i.param)).toEqual([
      'documents.0.base64',
      'values.req_unknown',
      'address.country_code',
      'address.street_address',
      'address.postal_code',
    ]);

    const brazil = await call(acme, 'POST', KYC, {
      profileId: acme.profileId,
      country: 'BR',
      values: { req_br_tax_id: '123.456.789-00' },
      address: { country_code: 'BR', first_name: 'Ana', last_name: 'Silva', street_address: 'Avenida Paulista 1578', locality: 'Sao Paulo', postal_code: '01310-200' },
      documents: [{ requirementId: 'req_br_id', filename: 'cnh.pdf', base64: PDF.toString('base64') }],
    });
    expect(brazil).toMatchObject({ status: 400, body: { param: 'values.req_br_tax_id', error: expect.stringContaining('CPF') } });

    const unknownDocument = await call(acme, 'POST', KYC, { ...germanKyc(acme), documents: [{ requirementId: 'req_de_id', documentId: newId() }] });
    expect(unknownDocument).toMatchObject({ status: 400, body: { param: 'documents.0.documentId' } });
    const badBase64 = await call(acme, 'POST', KYC, { ...germanKyc(acme), documents: [{ requirementId: 'req_de_id', filename: 'a.pdf', base64: '***' }] });
    expect(badBase64).toMatchObject({ status: 400, body: { param: 'documents.0.base64' } });
    const pdfAsPng = await call(acme, 'POST', KYC, { ...germanKyc(acme), documents: [{ requirementId: 'req_de_id', filename: 'a.png', base64: `data:image/png;base64,${PDF.toString('base64')}` }] });
    expect(pdfAsPng).toMatchObject({ status: 400, body: { param: 'documents.0.base64', details: { issues: [{ param: 'documents.0.base64', message: 'the file is a PDF, not image/png as declared' }] } } });
    expect(await numbersOf(acme.accountId)).toEqual([]);
    expect(await documentsOf(acme.accountId)).toHaveLength(0);
  });
});

describe('POST /v1/whatsapp/phone-numbers/kyc: the purchase', () => {
  it('first number: paid at Checkout; the number pending_payment with its case, the inline document stored', async () => {
    const acme = await seedAccount(database, 'First regulated', 'growth');
    const res = await call(acme, 'POST', KYC, germanKyc(acme, { submissionId: 'sub-1', endUserFirstName: 'Ada', endUserLastName: 'Lovelace' }), { 'x-request-id': 'req-kyc-1' });
    expect(res.status).toBe(200);
    const [number, ...more] = await numbersOf(acme.accountId);
    expect(more).toEqual([]);
    expect(res.body).toEqual({
      status: 'kyc_submitted',
      message: expect.any(String),
      checkoutUrl: expect.stringMatching(/\/checkout\//),
      preOrder: false,
      phoneNumber: { id: number.id, status: 'pending_payment', country: 'DE' },
      numbers: [{ id: number.id, status: 'pending_payment', phoneNumber: null, country: 'DE' }],
    });
    expect(number).toMatchObject({
      status: 'pending_payment',
      country: 'DE',
      numberType: 'local',
      monthlyCents: 900,
      paidFirst: true,
      registrantName: 'Acme GmbH',
      endUserFirstName: 'Ada',
      endUserLastName: 'Lovelace',
      stripeCheckoutSessionId: expect.stringMatching(/^cs_/),
    });
    const kyc = await caseOf(number.id);
    const [document] = await documentsOf(acme.accountId);
    expect(kyc).toMatchObject({ accountId: acme.accountId, country: 'DE', numberType: 'local', documents: { req_de_id: document.id }, reviewRound: 1, submittedRound: 0, verdict: null });
    // At rest the values and address are encrypted (their clear columns empty), and so is the file.
    expect(kyc).toMatchObject({ submittedValues: {}, address: null, dataKeySealed: expect.stringMatching(/^v2\./) });
    expect((await app.get(RegulatoryCaseRepository).findByNumber(number.id))?.submission).toEqual({ values: {}, documents: { req_de_id: document.id }, address: ADDRESS });
    expect(document).toMatchObject({ filename: 'ausweis.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    expect(Buffer.from(document.content).includes(PDF.subarray(0, 8))).toBe(false);
    expect(app.get(KycVault).open({ ciphertext: document.content, dataKeySealed: document.dataKeySealed ?? '' }, document.id).equals(PDF)).toBe(true);

    // The same submissionId again: the number it bought, nothing new.
    const again = await call(acme, 'POST', KYC, germanKyc(acme, { submissionId: 'sub-1' }));
    expect(again.body).toMatchObject({ status: 'kyc_already_submitted', phoneNumber: { id: number.id, status: 'pending_payment', country: 'DE' } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
    expect(await database.selectFrom('regulatoryCases').select('id').where('accountId', '=', acme.accountId).execute()).toHaveLength(1);
    // The purchase rules apply: a second one within 10 minutes needs allowMultiple; the first checkout must be paid first.
    expect((await call(acme, 'POST', KYC, germanKyc(acme))).body.code).toBe('PURCHASE_VELOCITY');
    expect((await call(acme, 'POST', KYC, germanKyc(acme, { allowMultiple: true }))).body.code).toBe('CHECKOUT_PENDING');
  });

  it('later number: on the subscription, provisioning at once (the worker starts the review); the plan rules apply', async () => {
    const acme = await seedAccount(database, 'Later regulated', 'growth');
    await withSubscription(acme);
    const res = await call(acme, 'POST', KYC, germanKyc(acme));
    const [number] = await numbersOf(acme.accountId);
    expect(res.body).toMatchObject({ status: 'kyc_submitted', phoneNumber: { id: number.id, status: 'provisioning', country: 'DE' } });
    expect(res.body.checkoutUrl).toBeUndefined();
    const jobs = await database.selectFrom('outbox').selectAll().where('kind', '=', 'job').execute();
    expect(jobs.filter((j) => (j.payload as { numberId?: string }).numberId === number.id).map((j) => j.name)).toEqual(['order-number']);

    const free = await seedAccount(database, 'Free regulated', 'free');
    expect((await call(free, 'POST', KYC, germanKyc(free))).body.code).toBe('PLAN_FORBIDS_NUMBERS');
    const other = await seedAccount(database, 'Other regulated', 'growth');
    expect(await call(acme, 'POST', KYC, { ...germanKyc(acme), profileId: other.profileId })).toMatchObject({ status: 404, body: { param: 'profileId' } });
  });

  it('Idempotency-Key: the first answer replayed; another body under the same key is 422', async () => {
    const acme = await seedAccount(database, 'Idempotent regulated', 'growth');
    await withSubscription(acme);
    const first = await call(acme, 'POST', KYC, germanKyc(acme), { 'idempotency-key': 'kyc-key-1' });
    const replay = await call(acme, 'POST', KYC, germanKyc(acme), { 'idempotency-key': 'kyc-key-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await call(acme, 'POST', KYC, germanKyc(acme, { allowMultiple: true }), { 'idempotency-key': 'kyc-key-1' });
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
  });

  it('reuses an approved verification: shown on the form, the number ordered with its group; unknown option 409', async () => {
    const acme = await seedAccount(database, 'Reuser', 'scale');
    await withSubscription(acme);
    const earlier = await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', country: 'DE', createdAt: new Date(Date.now() - 3600_000) });
    const source = await database
      .insertInto('regulatoryCases')
      .values({ id: newId(), accountId: acme.accountId, numberId: earlier, country: 'DE', numberType: 'local', address: ADDRESS, documents: { req_de_id: 'doc_x' }, requirementGroupId: 'rg-approved', verdict: 'approved', submittedRound: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const form = await call(acme, 'GET', `${KYC}?country=DE&profileId=${acme.profileId}`);
    const { phoneNumber } = await database.selectFrom('phoneNumbers').select('phoneNumber').where('id', '=', earlier).executeTakeFirstOrThrow();
    expect(form.body.reusable).toEqual({
      available: true,
      fromPhoneNumber: phoneNumber,
      details: [
        { label: 'Address in Germany', value: 'Acme GmbH, Friedrichstrasse 68, 10117 Berlin, DE' },
        { label: 'ID document', value: 'document on file', documentId: 'doc_x' },
      ],
      options: [expect.objectContaining({ id: source.id, instant: true, fromPhoneNumber: phoneNumber })],
    });

    expect(await call(acme, 'POST', KYC, { profileId: acme.profileId, country: 'DE', reuseOptionId: newId() })).toMatchObject({ status: 409, body: { code: 'KYC_REUSE_NOT_FOUND', param: 'reuseOptionId' } });
    expect(await call(acme, 'POST', KYC, { ...germanKyc(acme), reuse: true })).toMatchObject({ status: 400, body: { param: 'reuse' } });
    const reused = await call(acme, 'POST', KYC, { profileId: acme.profileId, country: 'DE', reuseOptionId: source.id });
    expect(reused.body).toMatchObject({ status: 'kyc_reused', phoneNumber: { status: 'provisioning', country: 'DE' } });
    const kyc = await caseOf(reused.body.phoneNumber.id);
    expect(kyc).toMatchObject({ requirementGroupId: 'rg-approved', reusedFromCaseId: source.id, documents: { req_de_id: 'doc_x' } });
    expect((await app.get(RegulatoryCaseRepository).findByNumber(reused.body.phoneNumber.id))?.submission.address).toEqual(ADDRESS);
    expect(await call(acme, 'POST', KYC, { profileId: acme.profileId, country: 'FR', reuse: true, allowMultiple: true })).toMatchObject({ status: 409, body: { code: 'KYC_REUSE_NOT_FOUND' } });
  });

  it('the form says when a number of the country is in review', async () => {
    const acme = await seedAccount(database, 'Pending', 'scale');
    await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'pending_regulatory', country: 'FR' });
    expect((await call(acme, 'GET', `${KYC}?country=FR&profileId=${acme.profileId}`)).body.pendingReview).toBe(true);
    expect((await call(acme, 'GET', `${KYC}?country=DE&profileId=${acme.profileId}`)).body.pendingReview).toBe(false);
  });
});

describe('POST /v1/whatsapp/phone-numbers/kyc/upload-document', () => {
  let acme: SeededAccount;
  beforeAll(async () => {
    acme = await seedAccount(database, 'Uploader', 'scale');
  });

  it('stores the raw file under its URL-encoded name; the id then stands for the document in a submission', async () => {
    const res = await upload(acme, PDF, { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Personalausweis (beide Seiten).pdf') });
    expect(res).toEqual({ status: 200, body: { documentId: expect.stringMatching(/^[0-9a-f]{24}$/) } });
    const stored = await database.selectFrom('kycDocuments').selectAll().where('id', '=', res.body.documentId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ accountId: acme.accountId, filename: 'Personalausweis (beide Seiten).pdf', contentType: 'application/pdf', sizeBytes: PDF.length });

    await withSubscription(acme);
    const submitted = await call(acme, 'POST', KYC, { ...germanKyc(acme), documents: [{ requirementId: 'req_de_id', documentId: res.body.documentId }] });
    expect(submitted.status).toBe(200);
    const kyc = await caseOf(submitted.body.phoneNumber.id);
    expect(kyc.documents).toEqual({ req_de_id: res.body.documentId });
    // Another account cannot use it.
    const other = await seedAccount(database, 'Not the uploader', 'scale');
    const theirs = await call(other, 'POST', KYC, { ...germanKyc(other), documents: [{ requirementId: 'req_de_id', documentId: res.body.documentId }] });
    expect(theirs).toMatchObject({ status: 400, body: { param: 'documents.0.documentId' } });
  });

  it('refuses a missing name, a body that is not a file, a type we do not take, and more than 10 MB', async () => {
    expect(await upload(acme, PDF, { 'content-type': 'application/pdf' })).toMatchObject({ status: 400, body: { param: 'X-Filename' } });
    expect(await upload(acme, PDF, { 'content-type': 'application/pdf', 'x-filename': '%E0%A4%A' })).toMatchObject({ status: 400, body: { param: 'X-Filename' } });
    expect(await upload(acme, GIF, { 'content-type': 'application/octet-stream', 'x-filename': 'a.gif' })).toMatchObject({ status: 400, body: { param: 'body' } });
    expect(await upload(acme, '{}', { 'content-type': 'application/json', 'x-filename': 'a.pdf' })).toMatchObject({ status: 400, body: { param: 'body' } });
    expect((await upload(acme, PDF, { 'content-type': 'image/gif', 'x-filename': 'a.pdf' })).status).toBe(415);
    // The bytes must be what the Content-Type says; nothing is stored.
    const stored = (await documentsOf(acme.accountId)).length;
    expect(await upload(acme, PDF, { 'content-type': 'image/png', 'x-filename': 'a.png' })).toEqual({
      status: 400,
      body: { error: 'Invalid body: the file is a PDF, not image/png as declared', code: 'VALIDATION_FAILED', param: 'body' },
    });
    expect(await documentsOf(acme.accountId)).toHaveLength(stored);
    // A few MB are taken from a caller with a key, not before the key is known.
    const scan = Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024)]);
    expect(await upload(acme, scan, { 'content-type': 'application/pdf', 'x-filename': 'scan.pdf' })).toMatchObject({ status: 200, body: { documentId: expect.any(String) } });
    const anonymous = await app.inject({ method: 'POST', url: `${KYC}/upload-document`, headers: { 'content-type': 'application/pdf', 'x-filename': 'scan.pdf' }, payload: scan });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([413, { error: 'Request body too large', code: 'PAYLOAD_TOO_LARGE' }]);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    expect((await upload(acme, big, { 'content-type': 'application/pdf', 'x-filename': 'big.pdf' })).status).toBe(413);
  });
});

describe('POST /v1/whatsapp/phone-numbers/kyc/validate-address', () => {
  let acme: SeededAccount;
  beforeAll(async () => {
    acme = await seedAccount(database, 'Addresses', 'scale');
  });
  const sydney = { country: 'AU', street_address: '1 Martin Place', locality: 'Sydney', postal_code: '2000' };

  it('ok, skipping the region pre-check without administrative_area', async () => {
    expect(await call(acme, 'POST', `${KYC}/validate-address`, sydney)).toMatchObject({ status: 200, body: { ok: true, skipped: true } });
    expect(await call(acme, 'POST', `${KYC}/validate-address`, { ...sydney, administrative_area: 'NSW' })).toMatchObject({ status: 200, body: { ok: true, skipped: false } });
  });

  it('400 naming the field, with suggestions', async () => {
    const wrongState = await call(acme, 'POST', `${KYC}/validate-address`, { ...sydney, administrative_area: 'VIC' });
    expect(wrongState).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', param: 'administrative_area', details: { addressSuggestions: [{ field: 'administrative_area', label: 'New South Wales', value: 'NSW' }] } },
    });
    for (const [body, param] of [
      [{ ...sydney, street_address: undefined }, 'street_address'],
      [{ ...sydney, street_address: 'PO Box 12' }, 'street_address'],
      [{ ...sydney, postal_code: '20000' }, 'postal_code'],
      [{ ...sydney, country: 'Australia' }, 'country'],
      [{ ...sydney, locality: '' }, 'locality'],
    ] as const) {
      const res = await call(acme, 'POST', `${KYC}/validate-address`, body);
      expect({ body, res: [res.status, res.body.param] }).toEqual({ body, res: [400, param] });
    }
  });
});
