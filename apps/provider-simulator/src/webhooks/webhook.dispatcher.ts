import type { ProviderName } from '../shared/provider-name';
import type { WebhookDeliverer, WebhookEvent } from './webhook.deliverer';

/**
 * How provider-originated webhooks leave the simulator: in the background, as the provider
 * sends them after answering the API call, through the one `WebhookDeliverer` (so the delivery
 * policy — delay, copies, shuffle — bends every one of them). Events raised by one action go
 * as one batch, the unit `shuffle` reorders. `drain()` waits for what is in flight.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deliverer: WebhookDeliverer) {}

  dispatch(provider: ProviderName, events: readonly WebhookEvent[]): void {
    if (events.length === 0) return;
    const delivery = this.deliverer
      .deliverBatch(provider, events)
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  pending(): number {
    return this.inFlight.size;
  }

  /** Resolves once every dispatched batch has been delivered or given up; false on timeout. */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, remaining);
      });
      await Promise.race([Promise.all([...this.inFlight]), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
