/** Whom an armed failure is for: any charge, or only a customer's / a subscription's. */
export interface ChargeScope {
  customerId?: string;
  subscriptionId?: string;
}

/** The charge being attempted: the customer paying, and the subscription its invoice is for. */
export interface ChargeAttempt {
  customerId: string | null;
  subscriptionId: string | null;
}

interface ArmedFailure extends ChargeScope {
  declineCode: string;
}

/**
 * Whether the next card charges succeed: `POST /_sim/stripe/fail-next-payment` arms failures
 * that the next charges use up, one each, oldest first. A failure scoped to a customer or a
 * subscription is used only by a charge of theirs, so scenarios running side by side do not take
 * each other's. Invoices of $0 charge nothing and use none.
 */
export class PaymentOutcomeStore {
  private failures: ArmedFailure[] = [];

  failNext(times: number, declineCode: string, scope: ChargeScope = {}): number {
    for (let i = 0; i < times; i += 1) this.failures.push({ declineCode, ...scope });
    return this.failures.length;
  }

  /** The decline code when this charge fails; null when it succeeds. */
  takeCharge(charge: ChargeAttempt = { customerId: null, subscriptionId: null }): string | null {
    const index = this.failures.findIndex(
      (failure) =>
        (failure.customerId === undefined || failure.customerId === charge.customerId) &&
        (failure.subscriptionId === undefined || failure.subscriptionId === charge.subscriptionId),
    );
    if (index < 0) return null;
    const [failure] = this.failures.splice(index, 1);
    return failure.declineCode;
  }

  armed(): number {
    return this.failures.length;
  }

  clear(): void {
    this.failures = [];
  }
}
