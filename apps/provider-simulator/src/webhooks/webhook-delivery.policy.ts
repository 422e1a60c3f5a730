/**
 * How the next webhooks are delivered. Set through `POST /_sim/webhooks/policy` (for every
 * delivery) or per delivery; per-delivery options win.
 *
 * Extension point: later scenarios (drop, reorder across batches, deliver late after a
 * newer event) add a field here and honour it in `WebhookDeliverer`.
 */
export interface WebhookDeliveryPolicy {
  /** Wait before the first attempt. */
  delayMs: number;
  /** How many times each event is delivered (2 = one duplicate). */
  copies: number;
  /** Deliver a batch in random order instead of the order given. */
  shuffle: boolean;
}

export const DEFAULT_DELIVERY_POLICY: WebhookDeliveryPolicy = { delayMs: 0, copies: 1, shuffle: false };
