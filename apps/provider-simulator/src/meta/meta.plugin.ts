import type { FastifyInstance } from 'fastify';
import { useLenientJsonParser } from '../shared/lenient-json.parser';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorState } from '../state/simulator.state';
import { registerMetaPhoneNumberRoutes } from './meta-phone-numbers.routes';
import { metaDialect } from './meta.dialect';

/** Meta's Graph API (WhatsApp Cloud API) under `/graph/{version}`. New endpoints register here. */
export async function metaPlugin(app: FastifyInstance, options: { state: SimulatorState }): Promise<void> {
  useLenientJsonParser(app);
  applyProviderScope(app, metaDialect, options.state.idempotency);
  registerMetaPhoneNumberRoutes(app, options.state.meta);
}
