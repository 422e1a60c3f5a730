import { createTelnyxClient, ProviderError, TelnyxSdkCarrierGateway, type CarrierGateway } from '@numbers/providers';
import type { RequestLogEntry } from '../state/request-log.store';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

describe('TelnyxSdkCarrierGateway against the simulator (real telnyx SDK)', () => {
  let sim: RunningSimulator;
  let carrier: CarrierGateway;

  beforeAll(async () => {
    sim = await startSimulator();
    carrier = new TelnyxSdkCarrierGateway(createTelnyxClient(appConfigFor(sim.url, sim.telnyxPublicKey).telnyx));
  });
  afterAll(() => sim.close());

  const seedNumber = async (phoneNumber: string): Promise<string> => {
    const { status, body } = await simFetch<{ data: { id: string } }>(`${sim.url}/_sim/telnyx/numbers`, {
      body: { phoneNumber, countryIso: 'us' },
    });
    expect(status).toBe(201);
    return body.data.id;
  };
  const deletesOf = async (id: string): Promise<RequestLogEntry[]> =>
    (await simFetch<{ requests: RequestLogEntry[] }>(`${sim.url}/_sim/requests?provider=telnyx`)).body.requests.filter(
      (r) => r.method === 'DELETE' && r.path === `/v2/phone_numbers/${id}`,
    );

  it('reads a seeded number through the SDK', async () => {
    const id = await seedNumber('+15550000001');
    await expect(carrier.getNumber(id)).resolves.toEqual({ id, phoneNumber: '+15550000001', status: 'active', country: 'US' });
  });

  it('answers null for a number the carrier does not have', async () => {
    await expect(carrier.getNumber('1234567890123456789')).resolves.toBeNull();
  });

  it('releases a number; a second release with a new key finds it gone and still resolves', async () => {
    const id = await seedNumber('+15550000002');

    await expect(carrier.releaseNumber(id, 'release-a')).resolves.toEqual({ released: true, alreadyGone: false });
    await expect(carrier.releaseNumber(id, 'release-b')).resolves.toEqual({ released: true, alreadyGone: true });

    await expect(carrier.getNumber(id)).resolves.toBeNull();
    const deletes = await deletesOf(id);
    expect(deletes.map((r) => [r.status, r.idempotencyKey])).toEqual([
      [200, 'release-a'],
      [404, 'release-b'],
    ]);
  });

  it('replays a release retried with the same key instead of deleting again', async () => {
    const id = await seedNumber('+15550000003');

    await carrier.releaseNumber(id, 'release-once');
    await expect(carrier.releaseNumber(id, 'release-once')).resolves.toEqual({ released: true, alreadyGone: false });

    const deletes = await deletesOf(id);
    expect(deletes.map((r) => [r.status, r.replayed])).toEqual([
      [200, false],
      [200, true],
    ]);
  });

  it('answers the DELETE with the final deleted record in Telnyx shape', async () => {
    const id = await seedNumber('+15550000004');
    const { status, body } = await simFetch<{ data: Record<string, unknown> }>(`${sim.url}/v2/phone_numbers/${id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer KEY_x' },
    });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ id, record_type: 'phone_number', phone_number: '+15550000004', status: 'deleted' });
    const again = await simFetch(`${sim.url}/v2/phone_numbers/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer KEY_x' } });
    expect(again).toMatchObject({ status: 404, body: { errors: [{ code: '10005', title: 'Resource not found' }] } });
  });

  it('fails with a retryable ProviderError while the carrier answers 503, keeping the number', async () => {
    const id = await seedNumber('+15550000005');
    await simFetch(`${sim.url}/_sim/faults`, {
      body: { provider: 'telnyx', method: 'DELETE', path: '/v2/phone_numbers/:id', action: 'fail', status: 503, times: 3 },
    });

    const error = await carrier.releaseNumber(id, 'release-fault').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'telnyx', status: 503, code: '10007', retryable: true });
    expect((error as Error).message).not.toContain('KEY_test_simulator');
    await expect(carrier.getNumber(id)).resolves.toMatchObject({ status: 'active' });
    expect((await deletesOf(id)).map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it('treats a 422 from the carrier as permanent', async () => {
    const id = await seedNumber('+15550000006');
    await simFetch(`${sim.url}/_sim/faults`, {
      body: { provider: 'telnyx', method: 'DELETE', path: `/v2/phone_numbers/${id}`, action: 'fail', status: 422 },
    });
    await expect(carrier.releaseNumber(id, 'release-422')).rejects.toMatchObject({ status: 422, retryable: false });
  });
});
