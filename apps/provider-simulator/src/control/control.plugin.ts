import type { FastifyError, FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { registerCallingControlRoutes } from './calling-control.routes';
import { registerClockRoutes } from './clock.routes';
import { registerFaultRoutes } from './faults.routes';
import { registerMetaControlRoutes } from './meta-control.routes';
import { registerSeedRoutes } from './seed.routes';
import { registerStateRoutes } from './state.routes';
import { registerStripeControlRoutes } from './stripe-control.routes';
import { registerTelnyxControlRoutes } from './telnyx-control.routes';
import { registerTelnyxRequirementGroupControlRoutes } from './telnyx-requirement-groups-control.routes';
import { registerWebhookRoutes } from './webhooks.routes';

/** The control API under `/_sim`: scenarios, clock, state, request log, seeding, webhooks. JSON in and out. */
export async function controlPlugin(app: FastifyInstance, options: { context: SimulatorContext }): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'control API failed');
    return reply.code(status).send({ error: status >= 500 ? 'Internal error' : error.message });
  });
  registerStateRoutes(app, options.context);
  registerFaultRoutes(app, options.context);
  registerSeedRoutes(app, options.context);
  registerWebhookRoutes(app, options.context);
  registerClockRoutes(app, options.context);
  registerStripeControlRoutes(app, options.context);
  registerTelnyxControlRoutes(app, options.context);
  registerTelnyxRequirementGroupControlRoutes(app, options.context);
  registerMetaControlRoutes(app, options.context);
  registerCallingControlRoutes(app, options.context);
}
