import { randomUUID } from 'node:crypto';
import type { LoadContext, Customer } from './load-context';
import { until } from './load-context';

/** One number the load asked for, and what became of the request. */
export interface Purchase {
  accountId: string;
  country: 'US' | 'DE';
  /** The idempotency key of the request (purchaseIntentId / submissionId and Idempotency-Key). */
  key: string;
  numberId?: string;
  /** The load released it (so `released` is its correct end). */
  released?: boolean;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n').toString('base64');
const ADDRESS = { country_code: 'DE', business_name: 'Chaos GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };

interface PurchaseAnswer {
  checkoutUrl?: string;
  numberId?: string;
  phoneNumber?: { id: string };
}

/**
 * Buys a number through the SDK: the account's first through Checkout (paid at the simulator's
 * Pay button), later ones inline. `first` waits until the subscription exists, so later
 * purchases of the account find it. The purchase is added to `purchases` before it is asked for.
 */
export async function buyNumber(context: LoadContext, customer: Customer, country: 'US' | 'DE', first: boolean, purchases: Purchase[]): Promise<Purchase> {
  const { account, client } = customer;
  const key = randomUUID();
  const purchase: Purchase = { accountId: account.accountId, country, key };
  // Recorded before it is asked for: a request never answered is still accounted for.
  purchases.push(purchase);
  const answer =
    country === 'US'
      ? await client.send<PurchaseAnswer>(
          'purchase',
          (z, options) => z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ ...options, body: { profileId: account.profileId, purchaseIntentId: key, ...(first ? {} : { allowMultiple: true }) } }),
          key,
        )
      : await client.send<PurchaseAnswer>(
          'KYC submission',
          (z, options) =>
            z.whatsappphonenumbers.submitWhatsAppNumberKyc({
              ...options,
              body: {
                profileId: account.profileId,
                country: 'DE',
                submissionId: key,
                address: ADDRESS,
                documents: [{ requirementId: 'req_de_id', filename: 'ausweis.pdf', base64: PDF }],
                ...(first ? {} : { allowMultiple: true }),
              } as never,
            }),
          key,
        );
  purchase.numberId = answer.phoneNumber?.id ?? answer.numberId;
  const session = /\/checkout\/([^/?#]+)/.exec(answer.checkoutUrl ?? '')?.[1];
  if (session) {
    if (!purchase.numberId) {
      const row = await until(context, 'the checkout number', () => context.db.selectFrom('phoneNumbers').select('id').where('stripeCheckoutSessionId', '=', session).executeTakeFirst());
      purchase.numberId = row.id;
    }
    await context.sim.post(`/_sim/stripe/checkout/${session}/pay`, {});
  }
  if (first) {
    await until(context, `a subscription for ${account.accountId}`, () =>
      context.db.selectFrom('billingAccounts').select('accountId').where('accountId', '=', account.accountId).where('stripeSubscriptionId', 'is not', null).executeTakeFirst(),
    );
  }
  return purchase;
}

/** Releases a number through the SDK (a 4xx, e.g. already releasing, is an answer too). */
export async function releaseNumber(customer: Customer, purchase: Purchase): Promise<void> {
  const numberId = purchase.numberId;
  if (!numberId) return;
  purchase.released = true;
  await customer.client.send('release', (z, options) => z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ ...options, path: { phoneNumberId: numberId } }));
}

/** Waits until the number is active (the load's releases of active numbers, the calling account). */
export function untilActive(context: LoadContext, numberId: string) {
  return until(context, `number ${numberId} active`, () =>
    context.db.selectFrom('phoneNumbers').select(['id', 'phoneNumber', 'metaPhoneNumberId']).where('id', '=', numberId).where('status', '=', 'active').executeTakeFirst(),
  );
}
