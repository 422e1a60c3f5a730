import { simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

/** The realistic latency profile holds provider answers, and only those. */
describe('provider simulator with SIMULATOR_LATENCY=realistic', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ SIMULATOR_LATENCY: 'realistic', SIMULATOR_LATENCY_SEED: 3 });
  });
  afterAll(() => sim.close());

  const timed = async (request: () => Promise<unknown>) => {
    const started = performance.now();
    await request();
    return performance.now() - started;
  };

  it('holds a Stripe call around its 300 ms p50', async () => {
    const ms = await timed(() =>
      fetch(`${sim.url}/v1/customers`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_latency', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Acme',
      }).then((r) => r.json()),
    );
    // sigma 0.25: a draw under 150 ms is 2.8 sigmas below the median.
    expect(ms).toBeGreaterThan(150);
  });

  it('answers the control API at once', async () => {
    const ms = await timed(() => simFetch(`${sim.url}/_sim/state`));
    expect(ms).toBeLessThan(150);
  });
});
