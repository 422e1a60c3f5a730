import { MetaGraphWhatsAppGateway, ProviderError, type WhatsAppGateway } from '@numbers/providers';
import type { RequestLogEntry } from '../state/request-log.store';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

describe('MetaGraphWhatsAppGateway against the simulator', () => {
  let sim: RunningSimulator;
  let whatsapp: WhatsAppGateway;

  beforeAll(async () => {
    sim = await startSimulator();
    whatsapp = new MetaGraphWhatsAppGateway(appConfigFor(sim.url, sim.telnyxPublicKey).meta);
  });
  afterAll(() => sim.close());

  const seedNumber = async (id: string): Promise<void> => {
    const { status } = await simFetch(`${sim.url}/_sim/meta/numbers`, { body: { id, displayPhoneNumber: '+1 555-000-0001' } });
    expect(status).toBe(201);
  };

  it('deregisters a registered number, and deregistering again still succeeds', async () => {
    await seedNumber('100000000000001');
    await expect(whatsapp.getPhoneNumber('100000000000001')).resolves.toMatchObject({
      id: '100000000000001',
      displayPhoneNumber: '+1 555-000-0001',
      platformType: 'CLOUD_API',
    });

    await expect(whatsapp.deregister('100000000000001')).resolves.toBeUndefined();
    await expect(whatsapp.deregister('100000000000001')).resolves.toBeUndefined();

    await expect(whatsapp.getPhoneNumber('100000000000001')).resolves.toMatchObject({ platformType: 'NOT_APPLICABLE' });
    const { body } = await simFetch<{ requests: RequestLogEntry[] }>(`${sim.url}/_sim/requests?provider=meta`);
    expect(body.requests.filter((r) => r.route === '/graph/:version/:phoneNumberId/deregister').map((r) => r.path)).toEqual([
      '/graph/v21.0/100000000000001/deregister',
      '/graph/v21.0/100000000000001/deregister',
    ]);
  });

  it('maps an unknown phone number id to a permanent Graph error', async () => {
    const error = await whatsapp.deregister('999999999999999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'meta', status: 400, code: '100.33', retryable: false });
  });

  it('fails with a retryable ProviderError on a 503 and succeeds on the next call', async () => {
    await seedNumber('100000000000002');
    await simFetch(`${sim.url}/_sim/faults`, {
      body: { provider: 'meta', method: 'POST', path: '/graph/:version/:phoneNumberId/deregister', action: 'fail', status: 503 },
    });

    const error = await whatsapp.deregister('100000000000002').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'meta', status: 503, retryable: true });
    expect((error as Error).message).not.toContain('meta_token_test');

    await expect(whatsapp.deregister('100000000000002')).resolves.toBeUndefined();
  });

  it('reports a refused connection as retryable', async () => {
    const offline = new MetaGraphWhatsAppGateway({ ...appConfigFor('http://127.0.0.1:9', sim.telnyxPublicKey).meta });
    await expect(offline.deregister('1')).rejects.toMatchObject({ status: null, code: 'network_error', retryable: true });
  });

  it('answers Graph errors for a missing token', async () => {
    const { status, body } = await simFetch(`${sim.url}/graph/v21.0/100000000000001/deregister`, { method: 'POST' });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { type: 'OAuthException', code: 104, fbtrace_id: expect.any(String) } });
  });
});
