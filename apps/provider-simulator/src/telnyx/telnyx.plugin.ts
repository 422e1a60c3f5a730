import type { FastifyInstance } from 'fastify';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorState } from '../state/simulator.state';
import { registerTelnyxPhoneNumberRoutes } from './telnyx-phone-numbers.routes';
import { telnyxDialect } from './telnyx.dialect';

/** Telnyx API v2 under `/v2`, JSON, responses wrapped in `{data}`. New resources register here. */
export async function telnyxPlugin(app: FastifyInstance, options: { state: SimulatorState }): Promise<void> {
  applyProviderScope(app, telnyxDialect, options.state.idempotency);
  registerTelnyxPhoneNumberRoutes(app, options.state.telnyx);
}
