import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import {
  CARRIER_GATEWAY,
  MetaGraphWhatsAppGateway,
  ProvidersModule,
  STRIPE_CLIENT,
  STRIPE_GATEWAY,
  StripeSdkGateway,
  TelnyxSdkCarrierGateway,
  WHATSAPP_GATEWAY,
  type CarrierGateway,
  type StripeGateway,
  type WhatsAppGateway,
} from '@numbers/providers';
import type { SimulatorStateDump } from '../control/state-dump';
import { simFetch, startSimulator, appConfigFor, type RunningSimulator } from '../testing/simulator-test-harness';

describe('ProvidersModule wired against the simulator', () => {
  let sim: RunningSimulator;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    sim = await startSimulator();
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, ProvidersModule] })
      .overrideProvider(AppConfig)
      .useValue(appConfigFor(sim.url, sim.telnyxPublicKey))
      .compile();
  });
  afterAll(async () => {
    await moduleRef.close();
    await sim.close();
  });

  it('provides each port by its token, built once', () => {
    expect(moduleRef.get(STRIPE_GATEWAY)).toBeInstanceOf(StripeSdkGateway);
    expect(moduleRef.get(CARRIER_GATEWAY)).toBeInstanceOf(TelnyxSdkCarrierGateway);
    expect(moduleRef.get(WHATSAPP_GATEWAY)).toBeInstanceOf(MetaGraphWhatsAppGateway);
    expect(moduleRef.get(STRIPE_GATEWAY)).toBe(moduleRef.get(STRIPE_GATEWAY));
    expect(moduleRef.get(STRIPE_CLIENT)).toBe(moduleRef.get(STRIPE_CLIENT));
  });

  it('drives all three providers through the injected gateways', async () => {
    await simFetch(`${sim.url}/_sim/telnyx/numbers`, { body: { id: '4000000000000000001', phoneNumber: '+15550009999' } });
    await simFetch(`${sim.url}/_sim/meta/numbers`, { body: { id: '400000000000001', displayPhoneNumber: '+1 555-000-9999' } });

    const { customerId } = await moduleRef.get<StripeGateway>(STRIPE_GATEWAY).createCustomer({ accountId: 'acc_m', name: 'M' }, 'mod-cus');
    await moduleRef.get<WhatsAppGateway>(WHATSAPP_GATEWAY).deregister('400000000000001');
    await moduleRef.get<CarrierGateway>(CARRIER_GATEWAY).releaseNumber('4000000000000000001', 'mod-release');

    const { body } = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(body.stripe.customers.map((c) => c.id)).toEqual([customerId]);
    expect(body.meta.numbers[0].registered).toBe(false);
    expect(body.telnyx.numbers[0].status).toBe('deleted');
    expect(body.requests.stripe[0].idempotencyKey).toBe('mod-cus');
    expect(body.requests.telnyx[0].idempotencyKey).toBe('mod-release');
  });
});
