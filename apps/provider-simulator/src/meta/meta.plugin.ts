import type { FastifyInstance } from 'fastify';
import { useLenientJsonParser } from '../shared/lenient-json.parser';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorContext } from '../simulator.context';
import { registerMetaCallingRoutes } from './meta-calling.routes';
import { registerMetaPhoneNumberRoutes } from './meta-phone-numbers.routes';
import { registerMetaRegistrationRoutes } from './meta-registration.routes';
import { metaDialect } from './meta.dialect';

/** Meta's Graph API (WhatsApp Cloud API) under `/graph/{version}`. New endpoints register here. */
export async function metaPlugin(app: FastifyInstance, options: { context: SimulatorContext }): Promise<void> {
  const { context } = options;
  useLenientJsonParser(app);
  applyProviderScope(app, metaDialect, context.state.idempotency);
  const find = registerMetaPhoneNumberRoutes(app, context.state.meta);
  registerMetaRegistrationRoutes(app, context, find);
  registerMetaCallingRoutes(app, context, find);
}
