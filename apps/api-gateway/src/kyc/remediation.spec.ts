// Remediation of a declined regulated number, and the provisioning view of the list: the
// gateway's real module on a database of its own (providers played by the built simulator).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newId } from '@numbers/domain';
import { RegulatoryCaseRepository, type Database } from '@numbers/persistence';
import { seedAccount, seedNumber, type SeededAccount } from '../testing/gateway-test-app';
import { startGatewayWithSimulator, type GatewayWithSimulator } from '../testing/gateway-with-simulator';

jest.setTimeout(120_000);

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const ADDRESS = { country_code: 'DE', business_name: 'Acme GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };
const DAY = 24 * 3600_000;

let ctx: GatewayWithSimulator;
let app: NestFastifyApplication;
let database: Database;

const remediateUrl = (id: string) => `/v1/whatsapp/phone-numbers/${id}/remediate`;

async function call(account: SeededAccount, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: { authorization: account.bearer, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
}

/** A DE number the regulator declined (as the provisioning worker leaves it), with its case. */
async function declinedNumber(account: SeededAccount, input: { fieldsToFix?: string[]; declinedAt?: Date; reason?: string } = {}): Promise<string> {
  const declinedAt = input.declinedAt ?? new Date();
  const reason = input.reason ?? 'The ID document is unreadable';
  const id = await seedNumber(database, {
    accountId: account.accountId,
    profileId: account.profileId,
    status: 'regulatory_declined',
    country: 'DE',
    phoneNumber: null,
    paidFirst: true,
    requirementGroupId: 'rg-1',
    regulatoryDeclineReason: reason,
    regulatoryDeclinedAt: declinedAt,
    createdAt: new Date(declinedAt.getTime() - DAY),
  });
  await database
    .insertInto('regulatoryCases')
    .values({
      id: newId(),
      accountId: account.accountId,
      numberId: id,
      country: 'DE',
      numberType: 'local',
      address: ADDRESS,
      documents: { req_de_id: 'doc_first' },
      requirementGroupId: 'rg-1',
      submittedRound: 1,
      verdict: 'declined',
      declineReason: reason,
      // A JSON array as text: pg would send a JS array as a PostgreSQL array.
      fieldsToFix: JSON.stringify(input.fieldsToFix ?? ['req_de_id']),
      decidedAt: declinedAt,
    })
    .execute();
  return id;
}

const numberOf = (id: string) => database.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const newDocument = { requirementId: 'req_de_id', filename: 'ausweis-neu.pdf', base64: PDF.toString('base64') };

beforeAll(async () => {
  ctx = await startGatewayWithSimulator();
  app = ctx.app;
  database = ctx.database;
});

afterAll(async () => {
  await ctx?.close();
});

describe('GET /v1/whatsapp/phone-numbers/{id}/remediate', () => {
  it('says what was declined: the reason and the fields to fix, as the form shows them', async () => {
    const acme = await seedAccount(database, 'Declined', 'scale');
    const id = await declinedNumber(acme);
    const res = await call(acme, 'GET', remediateUrl(id));
    expect(res).toEqual({
      status: 200,
      headers: expect.anything(),
      body: {
        country: 'DE',
        numberType: 'local',
        declineReason: 'The ID document is unreadable',
        fields: [expect.objectContaining({ requirementId: 'req_de_id', label: 'ID document', kind: 'file' })],
      },
    });
  });

  it('409 NUMBER_NOT_DECLINED for a number in another state; 404 for another account’s; 400 for a malformed id', async () => {
    const acme = await seedAccount(database, 'Not declined', 'scale');
    const pending = await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'pending_regulatory', country: 'DE' });
    expect(await call(acme, 'GET', remediateUrl(pending))).toMatchObject({ status: 409, body: { code: 'NUMBER_NOT_DECLINED' } });
    const other = await seedAccount(database, 'Other', 'scale');
    expect((await call(other, 'GET', remediateUrl(await declinedNumber(acme)))).status).toBe(404);
    expect(await call(acme, 'GET', remediateUrl('nope'))).toMatchObject({ status: 400, body: { param: 'phoneNumberId' } });
  });

  it('409 KYC_CASE_MISSING, saying so, for a declined number with no review case (GET and POST)', async () => {
    const acme = await seedAccount(database, 'No case', 'scale');
    const id = await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'regulatory_declined', country: 'DE', phoneNumber: null });
    for (const res of [await call(acme, 'GET', remediateUrl(id)), await call(acme, 'POST', remediateUrl(id), { documents: [newDocument] })]) {
      expect(res).toMatchObject({ status: 409, body: { code: 'KYC_CASE_MISSING', error: expect.stringContaining('has no KYC review case') } });
      expect(res.body.error).not.toContain('this one is regulatory_declined');
    }
  });
});

describe('POST /v1/whatsapp/phone-numbers/{id}/remediate', () => {
  it('takes the corrected fields: the same case, a new round, back to pending_regulatory, the resubmission queued; no new number, no charge', async () => {
    const acme = await seedAccount(database, 'Remediator', 'scale');
    const id = await declinedNumber(acme);
    const before = await numberOf(id);
    const res = await call(acme, 'POST', remediateUrl(id), { documents: [newDocument] }, { 'x-request-id': 'req-remediate-1' });
    expect(res).toMatchObject({ status: 200, body: { status: 'resubmitted', phoneNumber: { id, status: 'pending_regulatory' } } });

    const after = await numberOf(id);
    expect(after).toMatchObject({ status: 'pending_regulatory', regulatoryDeclineReason: null, requirementGroupId: 'rg-1', paidFirst: true, version: before.version + 1 });
    const kyc = await database.selectFrom('regulatoryCases').selectAll().where('numberId', '=', id).executeTakeFirstOrThrow();
    const [document] = await database.selectFrom('kycDocuments').selectAll().where('accountId', '=', acme.accountId).execute();
    expect(kyc).toMatchObject({ reviewRound: 2, submittedRound: 1, verdict: null, documents: { req_de_id: document.id }, fieldsToFix: ['req_de_id'] });
    // The case was stored before encryption (in clear): the corrections store it encrypted.
    expect(kyc).toMatchObject({ address: null, dataKeySealed: expect.stringMatching(/^v2\./) });
    expect((await app.get(RegulatoryCaseRepository).findByNumber(id))?.submission).toMatchObject({ documents: { req_de_id: document.id }, address: ADDRESS });
    const history = await database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).execute();
    expect(history.map((h) => [h.event, h.fromStatus, h.toStatus, h.actor, h.cause])).toEqual([
      ['remediation_submitted', 'regulatory_declined', 'pending_regulatory', 'customer', 'req-remediate-1'],
    ]);
    const jobs = await database.selectFrom('outbox').selectAll().where('kind', '=', 'job').execute();
    expect(jobs.filter((j) => JSON.stringify(j.payload).includes(id)).map((j) => [j.name, j.payload])).toEqual([['resubmit-requirement-group', { numberId: id }]]);
    expect(await database.selectFrom('phoneNumbers').select('id').where('accountId', '=', acme.accountId).execute()).toHaveLength(1);

    // Once remediated it is no longer declined.
    expect(await call(acme, 'POST', remediateUrl(id), { documents: [newDocument] })).toMatchObject({ status: 409, body: { code: 'NUMBER_NOT_DECLINED' } });
  });

  it('400 naming each missing or wrong field: every declined field, only those, each by its rules', async () => {
    const acme = await seedAccount(database, 'Wrong fields', 'scale');
    const id = await declinedNumber(acme, { fieldsToFix: ['req_de_id', 'req_de_address'] });
    const cases: Array<[unknown, string[]]> = [
      [{}, ['values']],
      [{ documents: [newDocument] }, ['address']],
      [{ address: ADDRESS }, ['documents.req_de_id']],
      [{ documents: [newDocument], address: { ...ADDRESS, postal_code: '1' }, values: { req_x: 'y' } }, ['values.req_x', 'address.postal_code']],
      [{ documents: [{ ...newDocument, base64: 'R0lGODlh' }], address: ADDRESS }, ['documents.0.base64']],
      [{ documents: [newDocument], address: 'Berlin' }, ['address']],
    ];
    for (const [body, params] of cases) {
      const res = await call(acme, 'POST', remediateUrl(id), body);
      const named = res.body.details?.issues?.map((i: { param: string }) => i.param) ?? [res.body.param];
      expect({ body, res: [res.status, named] }).toEqual({ body, res: [400, params] });
    }
    const onlyId = await declinedNumber(acme);
    const notDeclined = await call(acme, 'POST', remediateUrl(onlyId), { documents: [newDocument], address: ADDRESS });
    expect(notDeclined).toMatchObject({ status: 400, body: { param: 'address', error: expect.stringContaining('was not declined') } });
    expect((await numberOf(id)).status).toBe('regulatory_declined');
    expect(await database.selectFrom('kycDocuments').select('id').where('accountId', '=', acme.accountId).execute()).toHaveLength(0);
  });

  it('409 for a number that is not declined, 404 for another account’s; an Idempotency-Key replays the first answer', async () => {
    const acme = await seedAccount(database, 'Remediate rules', 'scale');
    const active = await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', country: 'DE' });
    expect(await call(acme, 'POST', remediateUrl(active), { documents: [newDocument] })).toMatchObject({ status: 409, body: { code: 'NUMBER_NOT_DECLINED' } });
    const id = await declinedNumber(acme);
    const other = await seedAccount(database, 'Other remediator', 'scale');
    expect((await call(other, 'POST', remediateUrl(id), { documents: [newDocument] })).status).toBe(404);

    const first = await call(acme, 'POST', remediateUrl(id), { documents: [newDocument] }, { 'idempotency-key': 'fix-1' });
    const replay = await call(acme, 'POST', remediateUrl(id), { documents: [newDocument] }, { 'idempotency-key': 'fix-1' });
    expect(first.status).toBe(200);
    expect([replay.status, replay.headers['idempotent-replayed'], replay.body]).toEqual([200, 'true', first.body]);
    expect(await database.selectFrom('numberStatusHistory').select('id').where('numberId', '=', id).where('event', '=', 'remediation_submitted').execute()).toHaveLength(1);
  });

  it('concurrent remediations of one number: one runs, the others find it no longer declined', async () => {
    const acme = await seedAccount(database, 'Concurrent', 'scale');
    const id = await declinedNumber(acme);
    const results = await Promise.all(Array.from({ length: 5 }, () => call(acme, 'POST', remediateUrl(id), { documents: [newDocument] })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await database.selectFrom('regulatoryCases').selectAll().where('numberId', '=', id).executeTakeFirstOrThrow()).toMatchObject({ reviewRound: 2 });
  });
});

describe('the provisioning view of the list', () => {
  it('status=pending_regulatory: numbers in review plus those declined in the last 30 days, with their reason', async () => {
    const acme = await seedAccount(database, 'Provisioning view', 'scale');
    const reviewing = await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'pending_regulatory', country: 'DE' });
    const recent = await declinedNumber(acme, { declinedAt: new Date(Date.now() - 29 * DAY), reason: 'Address not in Germany' });
    const old = await declinedNumber(acme, { declinedAt: new Date(Date.now() - 31 * DAY) });
    await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active' });

    const view = await call(acme, 'GET', '/v1/whatsapp/phone-numbers?status=pending_regulatory');
    expect(view.body.numbers.map((n: { _id: string; status: string; regulatoryDeclineReason: string | null }) => [n._id, n.status, n.regulatoryDeclineReason]).sort()).toEqual(
      [
        [reviewing, 'pending_regulatory', null],
        [recent, 'regulatory_declined', 'Address not in Germany'],
      ].sort(),
    );
    const declined = await call(acme, 'GET', '/v1/whatsapp/phone-numbers?status=regulatory_declined');
    expect(declined.body.numbers.map((n: { _id: string }) => n._id).sort()).toEqual([recent, old].sort());
  });
});
