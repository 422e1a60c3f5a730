import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { clockAdvanceSchema, clockSetSchema, parseControlInput } from './control.schemas';

/**
 * The simulator clock (like a Stripe test clock): `GET /_sim/clock`, `PUT /_sim/clock {now, frozen?}`,
 * `POST /_sim/clock/advance {seconds}`. Moving it on renews subscriptions whose period or trial
 * ended (invoices, charges, events) and expires open checkout sessions past `expires_at`.
 */
export function registerClockRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const view = () => ({ now: state.clock.now(), iso: new Date(state.clock.now() * 1000).toISOString(), frozen: state.clock.isFrozen() });
  const catchUp = () => ({
    renewals: services.billing.renewDue(state.clock.now(), () => services.stripeEvents.batch()),
    expiredSessions: services.checkout.expireDue(),
  });

  app.get('/clock', async () => ({ clock: view() }));

  app.put('/clock', async (request) => {
    const { now, frozen } = parseControlInput(clockSetSchema, request.body);
    state.clock.set(now, frozen);
    return { clock: view(), ...catchUp() };
  });

  app.post('/clock/advance', async (request) => {
    const { seconds } = parseControlInput(clockAdvanceSchema, request.body);
    state.clock.advance(seconds);
    return { clock: view(), ...catchUp() };
  });
}
