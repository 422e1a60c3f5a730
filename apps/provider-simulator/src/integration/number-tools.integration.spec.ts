// The adapters behind number info and caller ID against the simulator: Meta's phone number and
// WhatsApp Business Account reads over Graph, and Telnyx's verified numbers through the real SDK.
import { createTelnyxClient, MetaGraphWhatsAppGateway, ProviderError, TelnyxSdkCarrierGateway, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

const WABA = '102290129340777';

describe('number info and caller ID adapters against the simulator', () => {
  let sim: RunningSimulator;
  let whatsapp: WhatsAppGateway;
  let carrier: CarrierGateway;

  beforeAll(async () => {
    sim = await startSimulator();
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    whatsapp = new MetaGraphWhatsAppGateway({ ...config.meta, wabaId: WABA });
    carrier = new TelnyxSdkCarrierGateway(createTelnyxClient(config.telnyx));
  });
  afterAll(() => sim.close());

  const seedMetaNumber = async (id: string, registered: boolean): Promise<void> => {
    const { status } = await simFetch(`${sim.url}/_sim/meta/numbers`, { body: { id, displayPhoneNumber: '+1 555-000-0101', verifiedName: 'Acme', registered, wabaId: WABA } });
    expect(status).toBe(201);
  };

  it("reads a number's quality, limits and health, and its business account", async () => {
    await seedMetaNumber('100000000000101', true);
    await expect(whatsapp.getNumberInfo('100000000000101')).resolves.toEqual({
      id: '100000000000101',
      displayPhoneNumber: '+1 555-000-0101',
      verifiedName: 'Acme',
      nameStatus: 'APPROVED',
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_1K',
      throughputLevel: 'STANDARD',
      status: 'CONNECTED',
      isOfficialBusinessAccount: false,
      platformType: 'CLOUD_API',
      healthStatus: { can_send_message: 'AVAILABLE', entities: expect.arrayContaining([expect.objectContaining({ entity_type: 'WABA', id: WABA })]) },
    });
    await expect(whatsapp.getBusinessAccount()).resolves.toEqual({
      id: WABA,
      name: 'Acme',
      businessVerificationStatus: 'verified',
      timezoneId: '1',
      healthStatus: expect.objectContaining({ can_send_message: 'AVAILABLE' }),
    });
  });

  it('shows a number not registered for the Cloud API as blocked, and an unknown node as a permanent Graph error', async () => {
    await seedMetaNumber('100000000000102', false);
    const info = await whatsapp.getNumberInfo('100000000000102');
    expect(info).toMatchObject({ status: 'PENDING', platformType: 'NOT_APPLICABLE', healthStatus: { can_send_message: 'BLOCKED' } });
    expect(JSON.stringify(info.healthStatus)).toContain('133010');
    const error = await whatsapp.getBusinessAccount('999999999999998').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'meta', status: 400, retryable: false });
  });

  it('verifies a caller id: no record before a code, a wrong code refused, the right one verifies once', async () => {
    const phone = '+15550000101';
    await expect(carrier.getVerifiedNumber(phone)).resolves.toBeNull();
    await expect(carrier.submitVerificationCode(phone, '123456')).resolves.toMatchObject({ verified: false });

    await carrier.startNumberVerification(phone, 'sms');
    await expect(carrier.getVerifiedNumber(phone)).resolves.toEqual({ phoneNumber: phone, verifiedAt: null });
    const code = async () => (await simFetch<{ verifiedNumbers: { phoneNumber: string; code: string | null }[] }>(`${sim.url}/_sim/telnyx/verified-numbers`)).body.verifiedNumbers.find((n) => n.phoneNumber === phone)?.code;
    const sent = String(await code());
    await expect(carrier.submitVerificationCode(phone, sent === '000000' ? '111111' : '000000')).resolves.toEqual({ verified: false, reason: expect.stringContaining('Invalid verification code') });
    await expect(carrier.submitVerificationCode(phone, sent)).resolves.toEqual({ verified: true, verifiedAt: expect.any(String) });
    await expect(carrier.getVerifiedNumber(phone)).resolves.toEqual({ phoneNumber: phone, verifiedAt: expect.any(String) });
    // A code is good once.
    await expect(carrier.submitVerificationCode(phone, sent)).resolves.toMatchObject({ verified: false });
  });

  it('refuses a code past its ten minutes', async () => {
    const phone = '+15550000102';
    await carrier.startNumberVerification(phone, 'call');
    const { body } = await simFetch<{ verifiedNumbers: { phoneNumber: string; code: string }[] }>(`${sim.url}/_sim/telnyx/verified-numbers`);
    const sent = String(body.verifiedNumbers.find((n) => n.phoneNumber === phone)?.code);
    await simFetch(`${sim.url}/_sim/clock/advance`, { body: { seconds: 601 } });
    await expect(carrier.submitVerificationCode(phone, sent)).resolves.toMatchObject({ verified: false });
  });
});
