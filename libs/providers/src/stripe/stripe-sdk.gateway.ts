import type Stripe from 'stripe';
import type {
  CreateCustomerInput,
  CreateSubscriptionInput,
  SetSubscriptionQuantityInput,
  StripeGateway,
  SubscriptionSnapshot,
} from '../ports/stripe.gateway';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromStripeError } from './stripe-error.mapper';

/** `StripeGateway` over the official `stripe` SDK; the key goes in its `idempotencyKey` option. */
export class StripeSdkGateway implements StripeGateway {
  constructor(
    private readonly stripe: Stripe,
    private readonly defaultPriceId: string,
  ) {}

  async createCustomer(input: CreateCustomerInput, idempotencyKey: string): Promise<{ customerId: string }> {
    const customer = await this.call('customers.create', idempotencyKey, (options) =>
      this.stripe.customers.create(
        { name: input.name, ...(input.email ? { email: input.email } : {}), metadata: { accountId: input.accountId } },
        options,
      ),
    );
    return { customerId: customer.id };
  }

  async createSubscription(input: CreateSubscriptionInput, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.create', idempotencyKey, (options) =>
      this.stripe.subscriptions.create(
        {
          customer: input.customerId,
          items: [{ price: input.priceId ?? this.defaultPriceId, quantity: input.quantity }],
          metadata: { ...input.metadata, accountId: input.accountId },
        },
        options,
      ),
    );
    return toSnapshot(subscription);
  }

  async setSubscriptionQuantity(input: SetSubscriptionQuantityInput, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.update', idempotencyKey, (options) =>
      this.stripe.subscriptions.update(
        input.subscriptionId,
        {
          items: [{ id: input.itemId, quantity: input.quantity }],
          ...(input.prorationBehavior ? { proration_behavior: input.prorationBehavior } : {}),
        },
        options,
      ),
    );
    return toSnapshot(subscription);
  }

  async getSubscription(subscriptionId: string): Promise<SubscriptionSnapshot> {
    try {
      return toSnapshot(await this.stripe.subscriptions.retrieve(subscriptionId));
    } catch (error) {
      throw fromStripeError(error, 'subscriptions.retrieve');
    }
  }

  async cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.cancel', idempotencyKey, (options) =>
      this.stripe.subscriptions.cancel(subscriptionId, {}, options),
    );
    return toSnapshot(subscription);
  }

  private async call<T>(operation: string, idempotencyKey: string, send: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    const key = requireIdempotencyKey(idempotencyKey, `stripe ${operation}`);
    try {
      return await send({ idempotencyKey: key });
    } catch (error) {
      throw fromStripeError(error, operation);
    }
  }
}

function toSnapshot(subscription: Stripe.Subscription): SubscriptionSnapshot {
  const items = subscription.items.data.map((item) => ({ id: item.id, priceId: item.price.id, quantity: item.quantity ?? 0 }));
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    items,
    quantity: items.reduce((sum, item) => sum + item.quantity, 0),
    metadata: { ...subscription.metadata },
  };
}
