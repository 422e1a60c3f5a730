import { freePort, startSimulatorProcess, testRedisPrefix, type SimulatorProcess } from '@numbers/test-support';
import { startGatewayForTest, type GatewayTestContext } from './gateway-test-app';

export interface GatewayWithSimulator extends GatewayTestContext {
  sim: SimulatorProcess;
}

/**
 * The built provider simulator first (the gateway's Stripe, Telnyx and Meta base URLs point at
 * it), then the gateway's real AppModule over a database and Redis prefix of its own.
 */
export async function startGatewayWithSimulator(env: Record<string, string> = {}): Promise<GatewayWithSimulator> {
  const sim = await startSimulatorProcess({
    // The simulator keeps no database; these only satisfy the test environment's rule.
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused',
    REDIS_PREFIX: testRedisPrefix(),
    // Nothing listens there: webhooks of these tests go nowhere (the gateway is not on a port).
    SIMULATOR_WEBHOOK_TARGET: `http://127.0.0.1:${await freePort()}`,
  });
  try {
    const ctx = await startGatewayForTest({
      env: {
        STRIPE_API_BASE_URL: sim.env['STRIPE_API_BASE_URL'],
        TELNYX_API_BASE_URL: sim.env['TELNYX_API_BASE_URL'],
        META_GRAPH_BASE_URL: sim.env['META_GRAPH_BASE_URL'],
        ...env,
      },
    });
    return {
      ...ctx,
      sim,
      close: async () => {
        await ctx.close();
        await sim.stop();
      },
    };
  } catch (error) {
    await sim.stop();
    throw error;
  }
}
