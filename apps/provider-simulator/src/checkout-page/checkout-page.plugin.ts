import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { DAY_SECONDS } from '../stripe/billing/billing-periods';
import { renderCheckoutPage, renderClosedPage, renderPaidPage } from './checkout-page.html';

type ById = { Params: { id: string } };

/**
 * Stripe's hosted checkout page, at the session's `url` (`/checkout/:id`): the purchase and a
 * Pay button. Paying redirects (303) to `success_url` with `{CHECKOUT_SESSION_ID}` filled in (a
 * second submit of a paid session too, without paying twice); a declined card shows the page
 * again with the error (402). No API key: it is the customer's page.
 */
export async function checkoutPagePlugin(app: FastifyInstance, options: { context: SimulatorContext }): Promise<void> {
  const { state, services } = options.context;
  await app.register(formbody);

  const model = (id: string, error: string | null) => {
    const session = services.checkout.find(id);
    if (!session) return null;
    const { trialEnd, trialPeriodDays } = session.subscriptionData;
    const trial = trialEnd ?? (trialPeriodDays !== null ? state.stripe.clock.now() + trialPeriodDays * DAY_SECONDS : null);
    return { session, prices: session.lineItems.map((item) => state.stripe.price(item.priceId)), trialEnd: trial, error };
  };

  app.get<ById>('/:id', async (request, reply) => {
    const found = model(request.params.id, null);
    if (!found) return reply.code(404).type('text/html').send('<h1>Not found</h1>');
    if (found.session.status !== 'open') return reply.type('text/html').send(renderClosedPage(found.session));
    return reply.type('text/html').send(renderCheckoutPage({ ...found, error: found.session.lastPaymentError }));
  });

  app.post<ById>('/:id/pay', async (request, reply) => {
    const session = services.checkout.find(request.params.id);
    if (!session) return reply.code(404).type('text/html').send('<h1>Not found</h1>');
    const outcome = services.checkout.pay(session);
    const paidBefore = outcome.kind === 'not_open' && session.status === 'complete';
    if (outcome.kind === 'not_open' && !paidBefore) return reply.code(409).type('text/html').send(renderClosedPage(session));
    if (outcome.kind === 'declined') {
      const found = model(session.id, 'Your card was declined.');
      return reply.code(402).type('text/html').send(renderCheckoutPage(found ?? { session, prices: [], trialEnd: null, error: null }));
    }
    const target = services.checkout.successRedirect(session);
    return target ? reply.redirect(target, 303) : reply.type('text/html').send(renderPaidPage(session));
  });
}
