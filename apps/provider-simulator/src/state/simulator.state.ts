import { FaultRuleStore } from './fault-rule.store';
import { IdempotencyStore } from './idempotency.store';
import { MetaStore } from './meta.store';
import { RequestLogStore } from './request-log.store';
import { StripeStore } from './stripe.store';
import { TelnyxStore } from './telnyx.store';
import { WebhookDeliveryLogStore } from './webhook-delivery-log.store';

/** Everything one simulator instance remembers; nothing lives in module globals. */
export class SimulatorState {
  readonly stripe = new StripeStore();
  readonly telnyx = new TelnyxStore();
  readonly meta = new MetaStore();
  readonly idempotency = new IdempotencyStore();
  readonly requests = new RequestLogStore();
  readonly faults = new FaultRuleStore();
  readonly webhookDeliveries = new WebhookDeliveryLogStore();

  reset(): void {
    this.stripe.clear();
    this.telnyx.clear();
    this.meta.clear();
    this.idempotency.clear();
    this.requests.clear();
    this.faults.clear();
    this.webhookDeliveries.clear();
  }
}
