import type { FastifyInstance } from 'fastify';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorContext } from '../simulator.context';
import { registerTelnyxAvailableNumberRoutes } from './telnyx-available-numbers.routes';
import { registerTelnyxCallRoutes } from './telnyx-calls.routes';
import { registerTelnyxNumberOrderRoutes } from './telnyx-number-orders.routes';
import { registerTelnyxPhoneNumberRoutes } from './telnyx-phone-numbers.routes';
import { registerTelnyxRegulatoryRecordRoutes } from './telnyx-regulatory-records.routes';
import { registerTelnyxRequirementGroupRoutes } from './telnyx-requirement-groups.routes';
import { registerTelnyxVerifiedNumberRoutes } from './telnyx-verified-numbers.routes';
import { telnyxDialect } from './telnyx.dialect';

/** Telnyx API v2 under `/v2`, JSON, responses wrapped in `{data}`. New resources register here. */
export async function telnyxPlugin(app: FastifyInstance, options: { context: SimulatorContext }): Promise<void> {
  const { context } = options;
  applyProviderScope(app, telnyxDialect, context.state.idempotency);
  registerTelnyxPhoneNumberRoutes(app, context.state.telnyx);
  registerTelnyxAvailableNumberRoutes(app, context);
  registerTelnyxNumberOrderRoutes(app, context);
  registerTelnyxCallRoutes(app, context);
  registerTelnyxRequirementGroupRoutes(app, context);
  registerTelnyxVerifiedNumberRoutes(app, context);
  registerTelnyxRegulatoryRecordRoutes(app, context);
}
