import {
  createTelnyxClient,
  MetaGraphWhatsAppGateway,
  parseWhatsAppCode,
  ProviderError,
  TelnyxSdkCarrierGateway,
  type CarrierGateway,
  type WhatsAppGateway,
} from '@numbers/providers';
import type { SimulatorStateDump } from '../control/state-dump';
import { isTelnyxEvent, verifiedTelnyxEvents } from '../testing/provider-webhooks';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

/**
 * WhatsApp registration of a number held at the simulated carrier: add it to the WABA, request
 * the code, receive it as Telnyx's signed `message.received`, verify it, register with a PIN.
 */
describe('Meta phone-number registration against the simulator', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let carrier: CarrierGateway;
  let whatsapp: WhatsAppGateway;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    carrier = new TelnyxSdkCarrierGateway(createTelnyxClient(config.telnyx));
    whatsapp = new MetaGraphWhatsAppGateway(config.meta);
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    receiver.received.length = 0;
  });

  /** A US number bought from the carrier, so SMS to it reach us. */
  async function heldNumber(reference: string): Promise<string> {
    const [offer] = await carrier.searchAvailableNumbers({ country: 'US', areaCode: '512', limit: 1 });
    await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: reference }, `order-${reference}`);
    await receiver.waitFor(isTelnyxEvent('number_order.complete', (payload) => payload.customer_reference === reference));
    return offer.phoneNumber;
  }
  const codeSmsTo = async (phoneNumber: string): Promise<string> => {
    await receiver.waitFor(isTelnyxEvent('message.received', (payload) => (payload.to as { phone_number: string }[])[0].phone_number === phoneNumber));
    const events = await verifiedTelnyxEvents(receiver.received, sim.telnyxPublicKey);
    const sms = events.filter((e) => e.data.event_type === 'message.received').at(-1);
    expect(sms?.data.payload).toMatchObject({ from: { phone_number: '+15550001111' }, to: [{ phone_number: phoneNumber }] });
    const code = parseWhatsAppCode(String(sms?.data.payload.text));
    if (!code) throw new Error(`no code in ${String(sms?.data.payload.text)}`);
    return code;
  };

  it('adds, verifies by SMS through the carrier, and registers a number', async () => {
    const phoneNumber = await heldNumber('num_m1');

    const { metaPhoneNumberId } = await whatsapp.addPhoneNumber({ countryCode: '1', phoneNumber, verifiedName: 'Acme' });
    await expect(whatsapp.addPhoneNumber({ countryCode: '1', phoneNumber, verifiedName: 'Acme' })).resolves.toEqual({ metaPhoneNumberId });
    await expect(whatsapp.getPhoneNumber(metaPhoneNumberId)).resolves.toMatchObject({
      displayPhoneNumber: `+1 ${phoneNumber.slice(2, 5)}-${phoneNumber.slice(5, 8)}-${phoneNumber.slice(8)}`,
      verifiedName: 'Acme',
      codeVerificationStatus: 'NOT_VERIFIED',
      status: 'PENDING',
    });

    await expect(whatsapp.requestCode(metaPhoneNumberId)).resolves.toEqual({ status: 'sent' });
    const code = await codeSmsTo(phoneNumber);

    const wrong = await whatsapp.verifyCode(metaPhoneNumberId, code === '000000' ? '111111' : '000000').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ProviderError);
    expect(wrong).toMatchObject({ provider: 'meta', code: '136025', retryable: false });
    await expect(whatsapp.verifyCode(metaPhoneNumberId, `${code.slice(0, 3)}-${code.slice(3)}`)).resolves.toBeUndefined();
    await expect(whatsapp.register(metaPhoneNumberId, '246810')).resolves.toBeUndefined();
    await expect(whatsapp.register(metaPhoneNumberId, '246810')).resolves.toBeUndefined();

    await expect(whatsapp.getPhoneNumber(metaPhoneNumberId)).resolves.toMatchObject({
      codeVerificationStatus: 'VERIFIED',
      status: 'CONNECTED',
      platformType: 'CLOUD_API',
    });
    await expect(whatsapp.requestCode(metaPhoneNumberId)).resolves.toEqual({ status: 'already_verified' });
    await expect(whatsapp.register(metaPhoneNumberId, '135790')).rejects.toMatchObject({ code: '133005', retryable: false });

    // The PIN outlives a deregistration; setting it lets another PIN register.
    await whatsapp.deregister(metaPhoneNumberId);
    await expect(whatsapp.register(metaPhoneNumberId, '135790')).rejects.toMatchObject({ code: '133005' });
    await expect(whatsapp.setTwoStepPin(metaPhoneNumberId, '135790')).resolves.toBeUndefined();
    await expect(whatsapp.register(metaPhoneNumberId, '135790')).resolves.toBeUndefined();
    await expect(whatsapp.setTwoStepPin(metaPhoneNumberId, '1357')).rejects.toMatchObject({ code: '100', retryable: false });
  });

  it('refuses to register before the code is verified', async () => {
    const phoneNumber = await heldNumber('num_m2');
    const { metaPhoneNumberId } = await whatsapp.addPhoneNumber({ countryCode: '1', phoneNumber: phoneNumber.slice(2), verifiedName: 'Acme' });
    await expect(whatsapp.register(metaPhoneNumberId, '123456')).rejects.toMatchObject({ code: '133006', retryable: false });
  });

  it('drops the next code SMS when told to, so timeouts can be tested', async () => {
    const phoneNumber = await heldNumber('num_m3');
    const { metaPhoneNumberId } = await whatsapp.addPhoneNumber({ countryCode: '1', phoneNumber, verifiedName: 'Acme' });
    await simFetch(`${sim.url}/_sim/meta/next-code-sms`, { body: { drop: true } });

    await whatsapp.requestCode(metaPhoneNumberId);
    await simFetch(`${sim.url}/_sim/webhooks/drain`, { body: {} });

    expect(receiver.received.filter(isTelnyxEvent('message.received'))).toHaveLength(0);
    const { body } = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(body.meta.numbers[0].verification).toMatchObject({ sms: 'dropped' });
    await whatsapp.requestCode(metaPhoneNumberId); // the next one arrives
    await expect(codeSmsTo(phoneNumber)).resolves.toMatch(/^\d{6}$/);
  });

  it('sends no SMS for a number the carrier does not hold for us', async () => {
    const { metaPhoneNumberId } = await whatsapp.addPhoneNumber({ countryCode: '44', phoneNumber: '+442079460000', verifiedName: 'Acme' });
    await whatsapp.requestCode(metaPhoneNumberId);
    const { body } = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(body.meta.numbers[0]).toMatchObject({ phoneNumber: '+442079460000', displayPhoneNumber: '+44 2079460000', verification: { sms: 'not_on_carrier' } });
  });
});
