// A number's live state at Meta, moving it between profiles, a call's estimate and caller-ID
// verification, end to end: the built provider simulator (Meta's Graph API, Telnyx's verified
// numbers) and gateway as real processes on a database and Redis prefix of their own, driven
// through the public `@zernio/node` SDK, errors included.
import Zernio, {
  ZernioApiError,
  type GetWhatsAppCallEstimateResponse,
  type GetWhatsAppNumberInfoResponse,
  type GetWhatsAppPhoneNumbersResponse,
  type MoveWhatsAppNumberToProfileResponse,
  type StartWhatsAppCallerIdVerificationResponse,
  type VerifyWhatsAppCallerIdResponse,
} from '@zernio/node';
import { newId, type NumberStatus } from '@numbers/domain';
import { NumberHistoryRepository, type Database } from '@numbers/persistence';
import { createTestAccountWithKey, createTestProfile, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { startGateway, type GatewaySystem } from './support/system';

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

const PHONE = '+14155550142';
const META_ID = '106540352242077';

let system: GatewaySystem;
let db: Database;
let sim: SimulatorProcess;
let wabaId: string;
let acme: TestAccountWithKey;
let other: TestAccountWithKey;
let z: Zernio;
let numberId: string;
let unregisteredId: string;
let othersNumberId: string;

async function refused(request: Promise<unknown>): Promise<ZernioApiError> {
  const failure = await request.then(
    () => new Error('expected a refusal'),
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ZernioApiError);
  return failure as ZernioApiError;
}

async function seedNumber(account: { accountId: string; profileId: string }, status: NumberStatus, fields: { phoneNumber?: string; metaPhoneNumberId?: string } = {}): Promise<string> {
  const id = newId();
  await db
    .insertInto('phoneNumbers')
    .values({ id, accountId: account.accountId, profileId: account.profileId, status, country: 'US', monthlyCents: 300, ...fields })
    .execute();
  return id;
}

const graphReads = async () =>
  (await sim.get<{ requests: { method: string; path: string }[] }>('/_sim/requests?provider=meta')).requests.filter((r) => r.method === 'GET' && r.path.includes(META_ID));

beforeAll(async () => {
  system = await startGateway();
  ({ db, sim } = system);
  wabaId = system.config.meta.wabaId;
  const baseUrl = system.baseUrl;

  acme = await createTestAccountWithKey(db, { name: 'Acme Plumbing', planCode: 'growth' });
  other = await createTestAccountWithKey(db, { name: 'Other Co', planCode: 'growth' });
  z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
  // Our numbers are added to META_WABA_ID: the simulator knows the account once one is.
  await sim.post('/_sim/meta/numbers', { id: META_ID, displayPhoneNumber: PHONE, verifiedName: 'Acme Plumbing', wabaId });
  numberId = await seedNumber(acme, 'active', { phoneNumber: PHONE, metaPhoneNumberId: META_ID });
  unregisteredId = await seedNumber(acme, 'provisioning');
  othersNumberId = await seedNumber(other, 'active', { phoneNumber: '+14155550143', metaPhoneNumberId: '106540352242078' });
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

describe('getWhatsAppNumberInfo', () => {
  it("answers the number's live state and its WhatsApp Business Account from Meta's Graph API, then from a short cache", async () => {
    const info = dataOf<GetWhatsAppNumberInfoResponse>(await z.whatsappphonenumbers.getWhatsAppNumberInfo({ query: { accountId: numberId } }));
    expect(info.phone).toEqual({
      display_phone_number: PHONE,
      verified_name: 'Acme Plumbing',
      name_status: 'APPROVED',
      quality_rating: 'GREEN',
      messaging_limit_tier: 'TIER_1K',
      throughput: { level: 'STANDARD' },
      status: 'CONNECTED',
      is_official_business_account: false,
      platform_type: 'CLOUD_API',
      health_status: {
        can_send_message: 'AVAILABLE',
        entities: [
          { entity_type: 'PHONE_NUMBER', id: META_ID, can_send_message: 'AVAILABLE' },
          { entity_type: 'WABA', id: wabaId, can_send_message: 'AVAILABLE' },
        ],
      },
    });
    expect(info.waba).toMatchObject({ name: 'Acme Plumbing', business_verification_status: 'verified', timezone_id: '1', health_status: { can_send_message: 'AVAILABLE' } });
    const reads = (await graphReads()).length;
    expect(reads).toBe(1);

    const again = dataOf<GetWhatsAppNumberInfoResponse>(await z.whatsappphonenumbers.getWhatsAppNumberInfo({ query: { accountId: numberId } }));
    expect(again).toEqual(info);
    expect((await graphReads()).length).toBe(reads);
  });

  it("refuses another account's number (404), a malformed id (400 naming accountId) and a number not on WhatsApp yet (409)", async () => {
    expect(await refused(z.whatsappphonenumbers.getWhatsAppNumberInfo({ query: { accountId: othersNumberId } }))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(await refused(z.whatsappphonenumbers.getWhatsAppNumberInfo({ query: { accountId: 'not-an-id' } }))).toMatchObject({ statusCode: 400, param: 'accountId' });
    expect(await refused(z.whatsappphonenumbers.getWhatsAppNumberInfo({ query: { accountId: unregisteredId } }))).toMatchObject({ statusCode: 409, code: 'WHATSAPP_NOT_REGISTERED' });
  });
});

describe('moveWhatsAppNumberToProfile', () => {
  it('moves the number to another profile of the account, once, and records the move in its history', async () => {
    const { profileId: brand } = await createTestProfile(db, acme.accountId, 'Second brand');
    const moved = dataOf<MoveWhatsAppNumberToProfileResponse>(await z.whatsappphonenumbers.moveWhatsAppNumberToProfile({ path: { id: numberId }, body: { profileId: brand } }));
    expect(moved).toEqual({ message: 'Number moved to the profile', profileId: brand, movedPlatforms: ['whatsapp'] });

    const listed = dataOf<GetWhatsAppPhoneNumbersResponse>(await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { profileId: brand } }));
    expect(listed.numbers?.map((n) => n._id)).toEqual([numberId]);

    const again = dataOf<MoveWhatsAppNumberToProfileResponse>(await z.whatsappphonenumbers.moveWhatsAppNumberToProfile({ path: { id: numberId }, body: { profileId: brand } }));
    expect(again).toEqual({ message: 'The number is already on this profile', profileId: brand });

    const history = await new NumberHistoryRepository(db).of(numberId);
    expect(history?.entries.filter((e) => e.kind === 'profile_move')).toEqual([
      expect.objectContaining({ fromProfileId: acme.profileId, toProfileId: brand, actor: 'customer', cause: expect.stringMatching(/^request /) }),
    ]);
  });

  it("refuses another account's profile or number (404) and a malformed profileId (400 naming it), moving nothing", async () => {
    const before = await db.selectFrom('phoneNumbers').select('profileId').where('id', '=', numberId).executeTakeFirstOrThrow();
    expect(await refused(z.whatsappphonenumbers.moveWhatsAppNumberToProfile({ path: { id: numberId }, body: { profileId: other.profileId } }))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Profile not found' });
    expect(await refused(z.whatsappphonenumbers.moveWhatsAppNumberToProfile({ path: { id: othersNumberId }, body: { profileId: acme.profileId } }))).toMatchObject({ statusCode: 404, message: 'Phone number not found' });
    expect(await refused(z.whatsappphonenumbers.moveWhatsAppNumberToProfile({ path: { id: numberId }, body: { profileId: 'brand-2' } }))).toMatchObject({ statusCode: 400, param: 'profileId' });
    expect(await db.selectFrom('phoneNumbers').select('profileId').where('id', '=', numberId).executeTakeFirstOrThrow()).toEqual(before);
    expect(await db.selectFrom('numberProfileMoves').select('id').where('numberId', '=', othersNumberId).execute()).toEqual([]);
  });
});

describe('getWhatsAppCallEstimate', () => {
  const estimate = (query: { accountId: string; to: string; minutes?: number; recording?: boolean }) =>
    z.whatsappcalling.getWhatsAppCallEstimate({ query });

  /** The migration's rates of a destination, in micro-USD a minute. */
  const ratesOf = (destination: string) =>
    db.selectFrom('callRates').select(['metaMicrosPerMinute', 'carrierMicrosPerMinute', 'recordingMicrosPerMinute']).where('destination', '=', destination).executeTakeFirstOrThrow();
  const usd = (micros: number) => micros / 1_000_000;

  it("prices a call from the destination country's reference rates: Meta's part shown, the carrier leg and recording billed", async () => {
    const [gbRates, otherRates] = await Promise.all([ratesOf('GB'), ratesOf('OTHER')]);
    // Meta's published rates differ by market: GB priced at OTHER's rates would go unnoticed otherwise.
    expect(gbRates.metaMicrosPerMinute).not.toBe(otherRates.metaMicrosPerMinute);

    // Three whole minutes are 30 pulses, so every leg is three times its rate.
    const gb = dataOf<GetWhatsAppCallEstimateResponse>(await estimate({ accountId: numberId, to: '+447700900123', minutes: 3, recording: true }));
    const [meta, carrier, recording] = [gbRates.metaMicrosPerMinute, gbRates.carrierMicrosPerMinute, gbRates.recordingMicrosPerMinute].map((rate) => 3 * rate);
    expect(gb).toEqual({
      destinationCountry: 'GB',
      perMinuteUsd: usd(gbRates.metaMicrosPerMinute + gbRates.carrierMicrosPerMinute + gbRates.recordingMicrosPerMinute),
      breakdown: {
        metaMinutes: 3,
        metaCostUSD: usd(meta),
        telnyxCostUSD: usd(carrier),
        recordingCostUSD: usd(recording),
        billableCostUSD: usd(carrier + recording),
        totalCostUSD: usd(meta + carrier + recording),
      },
    });
    // A country we know no code of: the OTHER rates; one minute, no recording by default.
    const unknown = dataOf<GetWhatsAppCallEstimateResponse>(await estimate({ accountId: numberId, to: '+971501234567' }));
    expect(unknown).toEqual({
      destinationCountry: null,
      perMinuteUsd: usd(otherRates.metaMicrosPerMinute + otherRates.carrierMicrosPerMinute),
      breakdown: {
        metaMinutes: 1,
        metaCostUSD: usd(otherRates.metaMicrosPerMinute),
        telnyxCostUSD: usd(otherRates.carrierMicrosPerMinute),
        recordingCostUSD: 0,
        billableCostUSD: usd(otherRates.carrierMicrosPerMinute),
        totalCostUSD: usd(otherRates.metaMicrosPerMinute + otherRates.carrierMicrosPerMinute),
      },
    });
  });

  it("refuses another account's number (404) and bad input (400 naming the param)", async () => {
    expect(await refused(estimate({ accountId: othersNumberId, to: '+447700900123' }))).toMatchObject({ statusCode: 404 });
    expect(await refused(estimate({ accountId: numberId, to: '07700 900123' }))).toMatchObject({ statusCode: 400, param: 'to' });
    expect(await refused(estimate({ accountId: numberId, to: '+447700900123', minutes: 0 }))).toMatchObject({ statusCode: 400, param: 'minutes' });
    expect(await refused(estimate({ accountId: numberId, to: '+447700900123', minutes: 241 }))).toMatchObject({ statusCode: 400, param: 'minutes' });
    expect(await refused(estimate({ accountId: 'x', to: '+447700900123' }))).toMatchObject({ statusCode: 400, param: 'accountId' });
  });
});

describe('caller-ID verification', () => {
  const start = (id: string, method?: 'sms' | 'call') => z.whatsappcalling.startWhatsAppCallerIdVerification({ path: { id }, body: method ? { method } : {} });
  const verify = (id: string, code: string) => z.whatsappcalling.verifyWhatsAppCallerId({ path: { id }, body: { code } });
  const sentCode = async () =>
    (await sim.get<{ verifiedNumbers: { phoneNumber: string; code: string | null; codesSent: number; verificationMethod: string }[] }>('/_sim/telnyx/verified-numbers')).verifiedNumbers.find(
      (n) => n.phoneNumber === PHONE,
    );

  it('has the carrier send a code to the number, refuses a wrong one naming code, and verifies with the right one', async () => {
    const started = dataOf<StartWhatsAppCallerIdVerificationResponse>(await start(numberId, 'call'));
    expect(started).toEqual({ verified: false, codeSent: true, method: 'call' });
    const sent = await sentCode();
    expect(sent).toMatchObject({ verificationMethod: 'call', codesSent: 1, code: expect.stringMatching(/^\d{6}$/) });

    const wrong = sent?.code === '000000' ? '111111' : '000000';
    expect(await refused(verify(numberId, wrong))).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', param: 'code' });
    expect(dataOf<VerifyWhatsAppCallerIdResponse>(await verify(numberId, String(sent?.code)))).toEqual({ verified: true });

    // Verified at the carrier: no new code, and verifying again answers the same.
    expect(dataOf<StartWhatsAppCallerIdVerificationResponse>(await start(numberId))).toEqual({ verified: true, codeSent: false, method: 'sms' });
    expect((await sentCode())?.codesSent).toBe(1);
    expect(dataOf<VerifyWhatsAppCallerIdResponse>(await verify(numberId, '123456'))).toEqual({ verified: true });
  });

  it("refuses another account's number (404), bad input (400 naming the param) and a number that is not active (409)", async () => {
    expect(await refused(start(othersNumberId, 'sms'))).toMatchObject({ statusCode: 404 });
    expect(await refused(verify(othersNumberId, '123456'))).toMatchObject({ statusCode: 404 });
    expect(await refused(z.whatsappcalling.startWhatsAppCallerIdVerification({ path: { id: numberId }, body: { method: 'fax' as 'sms' } }))).toMatchObject({ statusCode: 400, param: 'method' });
    expect(await refused(z.whatsappcalling.verifyWhatsAppCallerId({ path: { id: numberId }, body: {} as { code: string } }))).toMatchObject({ statusCode: 400, param: 'code' });
    expect(await refused(start('nope', 'sms'))).toMatchObject({ statusCode: 400, param: 'id' });
    expect(await refused(start(unregisteredId, 'sms'))).toMatchObject({ statusCode: 409, code: 'NUMBER_NOT_ACTIVE' });
    expect((await sentCode())?.codesSent).toBe(1);
  });
});
