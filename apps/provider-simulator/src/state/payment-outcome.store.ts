/**
 * Whether the next card charges succeed: `POST /_sim/stripe/fail-next-payment` arms failures
 * that the next charges use up, one each. Invoices of $0 charge nothing and use none.
 */
export class PaymentOutcomeStore {
  private failures: { declineCode: string }[] = [];

  failNext(times: number, declineCode: string): number {
    for (let i = 0; i < times; i += 1) this.failures.push({ declineCode });
    return this.failures.length;
  }

  /** The decline code when this charge fails; null when it succeeds. */
  takeCharge(): string | null {
    return this.failures.shift()?.declineCode ?? null;
  }

  armed(): number {
    return this.failures.length;
  }

  clear(): void {
    this.failures = [];
  }
}
