import { AppConfig } from '@numbers/config';
import { newId, type KycSubmission } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { SipCredentialSealer } from '../calls/sip-credential-sealer';
import { Database } from '../database/database';
import { SealedSecretRepository } from '../sealing/sealed-secret.repository';
import { SecretResealing } from '../sealing/secret-resealing';
import { keyIdOf } from '../sealing/sealer';
import { WebhookSecretSealer } from '../webhooks-out/webhook-secret-sealer';
import { KycDocumentRepository } from './kyc-document.repository';
import { KycRetentionRepository } from './kyc-retention.repository';
import { KycVault } from './kyc-vault';
import { RegulatoryCaseRepository } from './regulatory-case.repository';

const DAY = 24 * 3600_000;
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const PDF = Buffer.from('%PDF-1.7 passport of Erika Mustermann');
const SUBMISSION: KycSubmission = {
  values: { req_de_tax: 'DE123456789' },
  documents: { req_de_id: 'doc_1' },
  address: { streetAddress: 'Unter den Linden 1', locality: 'Berlin', postalCode: '10117', countryCode: 'DE' } as KycSubmission['address'],
};

/** Persistence of one set of keys (a process configured with them), on the file's database. */
interface Keyed {
  config: AppConfig;
  vault: KycVault;
  cases: RegulatoryCaseRepository;
  documents: KycDocumentRepository;
  resealing: SecretResealing;
  sip: SipCredentialSealer;
  webhooks: WebhookSecretSealer;
}

describe('KYC and secrets at rest (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let env: Record<string, string>;
  let accountId: string;
  let profileId: string;

  function keyed(overrides: Record<string, string>): Keyed {
    const config = AppConfig.fromEnv({ ...env, ...overrides });
    const vault = new KycVault(config);
    const cases = new RegulatoryCaseRepository(db, vault);
    const documents = new KycDocumentRepository(db, vault);
    const [sip, webhooks] = [new SipCredentialSealer(config), new WebhookSecretSealer(config)];
    return { config, vault, cases, documents, sip, webhooks, resealing: new SecretResealing(new SealedSecretRepository(db), cases, documents, sip, webhooks) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    env = testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() });
    db = new Database(AppConfig.fromEnv(env));
    [accountId, profileId] = [newId(), newId()];
    await db.insertInto('accounts').values({ id: accountId, name: 'Acme', planCode: 'scale' }).execute();
    await db.insertInto('profiles').values({ id: profileId, accountId, name: 'main' }).execute();
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  async function addNumber(status: 'active' | 'released' | 'regulatory_declined' = 'active', endedAt: Date | null = null): Promise<string> {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({
        id,
        accountId,
        profileId,
        country: 'DE',
        status,
        monthlyCents: 300,
        registrantName: 'Erika Mustermann',
        endUserFirstName: 'Erika',
        endUserLastName: 'Mustermann',
        releasedAt: status === 'released' ? endedAt : null,
        regulatoryDeclinedAt: status === 'regulatory_declined' ? endedAt : null,
      })
      .execute();
    return id;
  }

  async function addCase(keys: Keyed, numberId: string, submission: KycSubmission = SUBMISSION): Promise<string> {
    return db.transaction().execute(async (tx) => (await keys.cases.create(tx, { accountId, numberId, country: 'DE', numberType: 'local', submission })).id);
  }

  /** A case as stored before encryption: values and address in clear, no data key. */
  async function addPlainCase(numberId: string): Promise<string> {
    const id = newId();
    await db
      .insertInto('regulatoryCases')
      .values({ id, accountId, numberId, country: 'DE', numberType: 'local', submittedValues: JSON.stringify(SUBMISSION.values), documents: JSON.stringify(SUBMISSION.documents), address: JSON.stringify(SUBMISSION.address) })
      .execute();
    return id;
  }

  const caseRow = (id: string) => db.selectFrom('regulatoryCases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const documentRow = (id: string) => db.selectFrom('kycDocuments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const keyIdIn = (sealed: string | null) => sealed?.split('.')[1];

  // First, so that every row it re-seals is its own (later tests seal under keys this run does not hold).
  it('secrets:reseal seals again every value under a retired key or in an older form, once, so the retired keys can go', async () => {
    const old = { SIP_CREDENTIALS_KEY: key(41), WEBHOOK_SECRETS_KEY: key(42), KYC_SEALING_KEY: key(43) };
    const before = keyed(old);
    const numberId = await addNumber();
    const caseId = await addCase(before, numberId);
    const plainCaseId = await addPlainCase(await addNumber());
    const document = await before.documents.save({ accountId, filename: 'id.pdf', contentType: 'application/pdf', content: PDF });
    const plainDocumentId = newId();
    await db.insertInto('kycDocuments').values({ id: plainDocumentId, accountId, filename: 'old.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: '0'.repeat(64), content: PDF }).execute();
    await db
      .updateTable('phoneNumbers')
      .set({ sipPasswordSealed: before.sip.seal('digest-1', numberId), forwardSipPasswordSealed: before.sip.seal('forward-1', numberId) })
      .where('id', '=', numberId)
      .execute();
    const webhookId = newId();
    await db
      .insertInto('webhookEndpoints')
      .values({ id: webhookId, accountId, name: 'ep', url: 'https://example.com/hook', secretSealed: before.webhooks.seal('whsec_1', webhookId), events: ['call.ended'], isActive: true, customHeaders: '{}' })
      .execute();

    const rotated = keyed({
      SIP_CREDENTIALS_KEY: key(51),
      SIP_CREDENTIALS_OLD_KEYS: old.SIP_CREDENTIALS_KEY,
      WEBHOOK_SECRETS_KEY: key(52),
      WEBHOOK_SECRETS_OLD_KEYS: old.WEBHOOK_SECRETS_KEY,
      KYC_SEALING_KEY: key(53),
      KYC_SEALING_OLD_KEYS: old.KYC_SEALING_KEY,
    });
    // Batches of 2: more than one page of cases and documents.
    expect(await rotated.resealing.run(2)).toEqual({ 'kyc-case': 2, 'kyc-document': 2, 'sip-password': 1, 'forward-sip-password': 1, 'webhook-secret': 1 });
    expect(await rotated.resealing.run(2)).toEqual({ 'kyc-case': 0, 'kyc-document': 0, 'sip-password': 0, 'forward-sip-password': 0, 'webhook-secret': 0 });

    // Everything opens with the new keys alone.
    const only = keyed({ SIP_CREDENTIALS_KEY: key(51), WEBHOOK_SECRETS_KEY: key(52), KYC_SEALING_KEY: key(53) });
    expect(only.cases.viewOf(await caseRow(caseId)).submission).toEqual(SUBMISSION);
    expect(only.cases.viewOf(await caseRow(plainCaseId)).submission).toEqual(SUBMISSION);
    for (const id of [document.id, plainDocumentId]) {
      const row = await documentRow(id);
      expect(only.vault.open({ ciphertext: row.content, dataKeySealed: row.dataKeySealed as string }, id)).toEqual(PDF);
    }
    const number = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow();
    expect([only.sip.open(number.sipPasswordSealed as string, numberId), only.sip.open(number.forwardSipPasswordSealed as string, numberId)]).toEqual(['digest-1', 'forward-1']);
    const endpoint = await db.selectFrom('webhookEndpoints').select('secretSealed').where('id', '=', webhookId).executeTakeFirstOrThrow();
    expect(only.webhooks.open(endpoint.secretSealed, webhookId)).toBe('whsec_1');
  });

  it("stores a document's bytes and a case's values and address encrypted, each under its own data key, sealed under a named key", async () => {
    const keys = keyed({});
    const document = await keys.documents.save({ accountId, filename: 'passport.pdf', contentType: 'application/pdf', content: PDF });
    expect(document).toMatchObject({ sizeBytes: PDF.length, filename: 'passport.pdf' });
    const stored = await documentRow(document.id);
    expect(stored.content.includes(Buffer.from('Mustermann'))).toBe(false);
    expect(keyIdIn(stored.dataKeySealed)).toBe(keyIdOf(keys.config.kyc.sealingKeys.current));
    expect(keys.vault.open({ ciphertext: stored.content, dataKeySealed: stored.dataKeySealed as string }, document.id)).toEqual(PDF);
    // Bound to its row: the same bytes under another document's id do not open.
    expect(() => keys.vault.open({ ciphertext: stored.content, dataKeySealed: stored.dataKeySealed as string }, newId())).toThrow();

    const numberId = await addNumber();
    const caseId = await addCase(keys, numberId);
    const row = await caseRow(caseId);
    expect(row).toMatchObject({ submittedValues: {}, address: null, documents: SUBMISSION.documents, kycErasedAt: null });
    const raw = JSON.stringify(row) + (row.sealedSubmission?.toString('latin1') ?? '');
    for (const secret of ['DE123456789', 'Unter den Linden']) expect(raw).not.toContain(secret);
    expect(row.dataKeySealed).not.toBe(stored.dataKeySealed);
    expect((await keys.cases.findByNumber(numberId))?.submission).toEqual(SUBMISSION);

    // A remediation stores the corrected submission sealed again.
    const corrected = { ...SUBMISSION, values: { req_de_tax: 'DE987654321' } };
    await db.transaction().execute((tx) => keys.cases.recordCorrections(tx, caseId, corrected));
    expect((await caseRow(caseId)).submittedValues).toEqual({});
    expect((await keys.cases.findByNumber(numberId))?.submission).toEqual(corrected);
  });

  it('reads a case stored before encryption as it was, and seals it when it is read for use', async () => {
    const keys = keyed({});
    const numberId = await addNumber();
    const caseId = await addPlainCase(numberId);
    expect((await keys.cases.findByNumber(numberId))?.submission).toEqual(SUBMISSION);
    const row = await caseRow(caseId);
    expect(row).toMatchObject({ submittedValues: {}, address: null });
    expect(keyIdIn(row.dataKeySealed)).toBe(keyIdOf(keys.config.kyc.sealingKeys.current));
    expect((await keys.cases.findByNumber(numberId))?.submission).toEqual(SUBMISSION);
  });

  it('after a key rotation, opens what the retired key sealed and seals its data key again under the new key when read for use', async () => {
    const before = keyed({ KYC_SEALING_KEY: key(31) });
    const numberId = await addNumber();
    const caseId = await addCase(before, numberId);
    const sealedBefore = await caseRow(caseId);

    const rotated = keyed({ KYC_SEALING_KEY: key(32), KYC_SEALING_OLD_KEYS: key(31) });
    expect((await rotated.cases.findByNumber(numberId))?.submission).toEqual(SUBMISSION);
    const after = await caseRow(caseId);
    expect(keyIdIn(after.dataKeySealed)).toBe(keyIdOf(Buffer.from(key(32), 'base64')));
    // Only the data key changed: the values were not encrypted again.
    expect(after.sealedSubmission).toEqual(sealedBefore.sealedSubmission);
    // The retired key can now go: the new key alone opens the case; the old one alone does not.
    expect((await keyed({ KYC_SEALING_KEY: key(32) }).cases.findByNumber(numberId))?.submission).toEqual(SUBMISSION);
    expect(() => before.cases.viewOf(after)).toThrow(/not configured/);
  });

  it('erases the KYC of numbers released or declined longer ago than the retention, and keeps what a live case still uses', async () => {
    const keys = keyed({});
    const now = Date.now();
    const retention = new KycRetentionRepository(db);
    const cutoff = new Date(now - 90 * DAY);
    const old = new Date(now - 100 * DAY);
    const save = (filename: string) => keys.documents.save({ accountId, filename, contentType: 'application/pdf', content: PDF, now: old });
    const [releasedDoc, declinedDoc, sharedDoc, keptDoc, orphanDoc] = await Promise.all(['released', 'declined', 'shared', 'kept', 'orphan'].map(save));
    const recentOrphan = await keys.documents.save({ accountId, filename: 'new.pdf', contentType: 'application/pdf', content: PDF });
    const withDocuments = (...ids: string[]): KycSubmission => ({ ...SUBMISSION, documents: Object.fromEntries(ids.map((id, i) => [`req_${i}`, id])) });

    const released = await addNumber('released', old);
    const declined = await addNumber('regulatory_declined', old);
    const recentlyReleased = await addNumber('released', new Date(now - 10 * DAY));
    const active = await addNumber('active');
    const releasedCase = await addCase(keys, released, withDocuments(releasedDoc?.id ?? '', sharedDoc?.id ?? ''));
    const declinedCase = await addCase(keys, declined, withDocuments(declinedDoc?.id ?? ''));
    const recentCase = await addCase(keys, recentlyReleased, withDocuments(keptDoc?.id ?? ''));
    // A reused verification shares a document with the released number's case.
    const activeCase = await addCase(keys, active, withDocuments(sharedDoc?.id ?? ''));

    const erased = await retention.eraseExpired(cutoff, 1);
    expect(erased.cases).toBeGreaterThanOrEqual(2);
    for (const id of [releasedCase, declinedCase]) {
      expect(await caseRow(id)).toMatchObject({ submittedValues: {}, address: null, documents: {}, sealedSubmission: null, dataKeySealed: null, kycErasedAt: expect.any(Date) });
    }
    for (const id of [recentCase, activeCase]) expect(keys.cases.viewOf(await caseRow(id)).submission.values).toEqual(SUBMISSION.values);
    const names = await db.selectFrom('phoneNumbers').select(['id', 'registrantName', 'endUserFirstName', 'endUserLastName']).where('id', 'in', [released, declined, active]).execute();
    expect(names.find((n) => n.id === released)).toMatchObject({ registrantName: null, endUserFirstName: null, endUserLastName: null });
    expect(names.find((n) => n.id === active)).toMatchObject({ registrantName: 'Erika Mustermann' });

    const remaining = new Set((await db.selectFrom('kycDocuments').select('id').where('accountId', '=', accountId).execute()).map((d) => d.id));
    for (const gone of [releasedDoc, declinedDoc, orphanDoc]) expect(remaining.has(gone?.id ?? '')).toBe(false);
    for (const kept of [sharedDoc, keptDoc, recentOrphan]) expect(remaining.has(kept?.id ?? '')).toBe(true);
    // An erased case is no longer offered for reuse, and a second run finds nothing left.
    expect((await keys.cases.reusable(accountId, 'DE', 'local')).map((option) => option.caseId)).not.toContain(releasedCase);
    expect(await retention.eraseExpired(cutoff, 1)).toEqual({ cases: 0, documents: 0 });
    expect(await keys.cases.findByNumber(released)).toMatchObject({ submission: { values: {}, documents: {}, address: null } });
  });
});
