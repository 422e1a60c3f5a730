/** Stripe subscription statuses that take no more changes: the account needs a new subscription. */
export const ENDED_SUBSCRIPTION = ['canceled', 'incomplete_expired'];

export function isEndedSubscription(status: string | null | undefined): boolean {
  return ENDED_SUBSCRIPTION.includes(status ?? '');
}
