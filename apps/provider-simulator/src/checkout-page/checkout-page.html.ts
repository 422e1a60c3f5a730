import type { CheckoutSessionRecord } from '../state/stripe-checkout.store';
import type { PriceRecord } from '../state/stripe.store';

export interface CheckoutPageModel {
  session: CheckoutSessionRecord;
  prices: PriceRecord[];
  trialEnd: number | null;
  /** Shown above the form (a declined card). */
  error: string | null;
}

/**
 * The hosted checkout page: what is bought, what it costs, and a form whose Pay button POSTs
 * back. The session's `custom_text` is shown where Stripe shows it: `submit` beside the Pay
 * button, `after_submit` after it (plain text; shipping and terms-of-service texts have no place
 * here, the page collects neither).
 */
export function renderCheckoutPage({ session, prices, trialEnd, error }: CheckoutPageModel): string {
  const currency = session.currency;
  const monthly = session.lineItems.reduce((sum, item, i) => sum + prices[i].unitAmount * item.quantity, 0);
  const lines = session.lineItems
    .map((item, i) => `<li class="line-item">${item.quantity} × ${escapeHtml(prices[i].productName)} <span>${money(prices[i].unitAmount * item.quantity, currency)} / month</span></li>`)
    .join('');
  const dueToday = trialEnd !== null ? 0 : monthly;
  const trialNote = trialEnd !== null ? `<p class="trial">Free trial until ${new Date(trialEnd * 1000).toUTCString()}, then ${money(monthly, currency)} / month.</p>` : '';
  const submitText = session.customText.submit ? `<p class="custom-text" id="custom-text-submit">${escapeHtml(session.customText.submit)}</p>` : '';
  const afterSubmitText = session.customText.after_submit ? `<p class="custom-text" id="custom-text-after-submit">${escapeHtml(session.customText.after_submit)}</p>` : '';
  const cancel = session.cancelUrl ? `<a id="cancel" href="${escapeHtml(session.cancelUrl)}">Cancel</a>` : '';
  return page(
    `Pay ${money(dueToday, currency)}`,
    `<h1>Subscribe</h1>
<p class="amount" id="amount">${money(dueToday, currency)} due today</p>
<ul class="line-items">${lines}</ul>
${trialNote}
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay">
  <label>Card number <input name="card_number" value="4242 4242 4242 4242" readonly></label>
  ${submitText}
  <button type="submit" id="pay">Pay</button>
</form>
${afterSubmitText}
${cancel}`,
  );
}

/** A page for a session that can no longer be paid. */
export function renderClosedPage(session: CheckoutSessionRecord): string {
  const text = session.status === 'expired' ? 'This Checkout Session has expired.' : 'This Checkout Session is already complete.';
  return page('Checkout', `<h1 id="closed">${text}</h1>`);
}

/** Shown after paying when the session has no success_url. */
export function renderPaidPage(session: CheckoutSessionRecord): string {
  return page('Thanks', `<h1 id="paid">Thanks for your payment.</h1><p>Session ${escapeHtml(session.id)}</p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Stripe Checkout (simulated)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}button{font-size:1.1rem;padding:.6rem 2rem}.custom-text{color:#555;font-size:.9rem;white-space:pre-line}.error{color:#b00}</style>
</head><body>${body}</body></html>`;
}

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
