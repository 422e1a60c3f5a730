import type { SimulatorContext } from '../simulator.context';
import type { FaultRule } from '../state/fault-rule.store';
import type { MetaNumberRecord } from '../state/meta.store';
import type { RequestLogEntry } from '../state/request-log.store';
import type { Metadata } from '../state/stripe.store';
import type { TelnyxNumberRecord } from '../state/telnyx.store';
import type { WebhookDeliveryRecord } from '../state/webhook-delivery-log.store';
import type { WebhookDeliveryPolicy } from '../webhooks/webhook-delivery.policy';

/** The body of `GET /_sim/state`. */
export interface SimulatorStateDump {
  stripe: {
    customers: { id: string; name: string | null; email: string | null; metadata: Metadata; created: number }[];
    subscriptions: {
      id: string;
      customer: string;
      status: string;
      /** Sum of the items' quantities. */
      quantity: number;
      items: { id: string; price: string; quantity: number }[];
      metadata: Metadata;
      cancelAtPeriodEnd: boolean;
      canceledAt: number | null;
      created: number;
    }[];
  };
  telnyx: { numbers: TelnyxNumberRecord[] };
  meta: { numbers: MetaNumberRecord[] };
  requests: { stripe: RequestLogEntry[]; telnyx: RequestLogEntry[]; meta: RequestLogEntry[] };
  faults: FaultRule[];
  webhooks: { policy: WebhookDeliveryPolicy; deliveries: WebhookDeliveryRecord[] };
}

/** `GET /_sim/state`: everything the simulator holds, in a shape tests read easily. */
export function dumpState({ state, webhooks }: SimulatorContext): SimulatorStateDump {
  return {
    stripe: {
      customers: state.stripe.listCustomers().map((customer) => ({
        id: customer.id,
        name: customer.name,
        email: customer.email,
        metadata: customer.metadata,
        created: customer.created,
      })),
      subscriptions: state.stripe.listSubscriptions().map((subscription) => ({
        id: subscription.id,
        customer: subscription.customerId,
        status: subscription.status,
        quantity: subscription.items.reduce((sum, item) => sum + item.quantity, 0),
        items: subscription.items.map((item) => ({ id: item.id, price: item.priceId, quantity: item.quantity })),
        metadata: subscription.metadata,
        cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
        canceledAt: subscription.canceledAt,
        created: subscription.created,
      })),
    },
    telnyx: { numbers: state.telnyx.list() },
    meta: { numbers: state.meta.list() },
    requests: {
      stripe: state.requests.list('stripe'),
      telnyx: state.requests.list('telnyx'),
      meta: state.requests.list('meta'),
    },
    faults: state.faults.list(),
    webhooks: { policy: webhooks.getPolicy(), deliveries: state.webhookDeliveries.list() },
  };
}
