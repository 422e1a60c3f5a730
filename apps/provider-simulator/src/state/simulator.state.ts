import { FaultRuleStore } from './fault-rule.store';
import { MetaCallingStore } from './meta-calling.store';
import { IdempotencyStore } from './idempotency.store';
import { MetaStore } from './meta.store';
import { PaymentOutcomeStore } from './payment-outcome.store';
import { RequestLogStore } from './request-log.store';
import { SimClock } from './sim-clock';
import { StripeCheckoutStore } from './stripe-checkout.store';
import { StripeCreditNoteStore } from './stripe-credit-note.store';
import { StripeEventStore } from './stripe-event.store';
import { StripeInvoiceStore } from './stripe-invoice.store';
import { StripeStore } from './stripe.store';
import { TelnyxInventoryStore } from './telnyx-inventory.store';
import { TelnyxMessageStore } from './telnyx-message.store';
import { TelnyxOrderStore } from './telnyx-order.store';
import { TelnyxRegulatoryRecordStore } from './telnyx-regulatory-records.store';
import { TelnyxRequirementGroupStore } from './telnyx-requirement-group.store';
import { TelnyxCallStore } from './telnyx-call.store';
import { TelnyxStore } from './telnyx.store';
import { TelnyxVerifiedNumberStore } from './telnyx-verified-number.store';
import { WebhookDeliveryLogStore } from './webhook-delivery-log.store';

/** Everything one simulator instance remembers; nothing lives in module globals. */
export class SimulatorState {
  readonly clock = new SimClock();
  readonly stripe = new StripeStore(this.clock);
  readonly stripeInvoices = new StripeInvoiceStore();
  readonly stripeCheckout = new StripeCheckoutStore();
  readonly stripeCreditNotes = new StripeCreditNoteStore();
  readonly stripeEvents = new StripeEventStore();
  readonly payments = new PaymentOutcomeStore();
  readonly telnyx = new TelnyxStore();
  readonly telnyxInventory = new TelnyxInventoryStore();
  readonly telnyxOrders = new TelnyxOrderStore();
  readonly telnyxMessages = new TelnyxMessageStore();
  readonly telnyxRequirementGroups = new TelnyxRequirementGroupStore();
  readonly telnyxRegulatoryRecords = new TelnyxRegulatoryRecordStore();
  readonly meta = new MetaStore();
  readonly metaCalling = new MetaCallingStore();
  readonly telnyxCalls = new TelnyxCallStore();
  readonly telnyxVerifiedNumbers = new TelnyxVerifiedNumberStore();
  readonly idempotency = new IdempotencyStore();
  readonly requests = new RequestLogStore();
  readonly faults = new FaultRuleStore();
  readonly webhookDeliveries = new WebhookDeliveryLogStore();

  reset(): void {
    this.clock.reset();
    this.stripe.clear();
    this.stripeInvoices.clear();
    this.stripeCheckout.clear();
    this.stripeCreditNotes.clear();
    this.stripeEvents.clear();
    this.payments.clear();
    this.telnyx.clear();
    this.telnyxInventory.clear();
    this.telnyxOrders.clear();
    this.telnyxMessages.clear();
    this.telnyxRequirementGroups.clear();
    this.telnyxRegulatoryRecords.clear();
    this.meta.clear();
    this.metaCalling.clear();
    this.telnyxCalls.clear();
    this.telnyxVerifiedNumbers.clear();
    this.idempotency.clear();
    this.requests.clear();
    this.faults.clear();
    this.webhookDeliveries.clear();
  }
}
