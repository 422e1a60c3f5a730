import { Injectable } from '@nestjs/common';
import { DomainError } from '@numbers/domain';
import {
  createPaidNumber,
  createPurchasedNumber,
  PhoneNumberReadRepository,
  PurchaseRepository,
  type PurchaseCountry,
  type PurchasedNumber,
  type PurchaseStanding,
  type PurchasingAccount,
  type Tx,
} from '@numbers/persistence';
import { type PhoneNumberView, presentPhoneNumber } from '../numbers/phone-number.presenter';
import { CarrierInventory } from './carrier-inventory';
import { FirstNumberCheckout } from './first-number-checkout';

/** What is bought: one number of `country` for a profile of the account. */
export interface NumberPurchaseOrder {
  accountId: string;
  profileId: string;
  country: PurchaseCountry;
  /** An exact E.164 number from inventory search. */
  phoneNumber?: string;
  /** The caller's idempotency key (`purchaseIntentId`, or a KYC `submissionId`). */
  purchaseIntentId?: string;
  allowMultiple?: boolean;
  /** The cause recorded in the number's history. */
  requestId: string;
  /**
   * The KYC submission that lets a country needing identity review be bought: written with the
   * new number, in its transaction (so a number of such a country never exists without it).
   * Without it such a country answers `kyc_required`.
   */
  regulatory?: { withNumber(tx: Tx, number: PurchasedNumber): Promise<void> };
}

export type NumberPurchaseOutcome =
  | { kind: 'already_purchased'; numberId: string; phoneNumber: string | null }
  | { kind: 'kyc_required' }
  | { kind: 'checkout'; numberId: string; checkoutUrl: string }
  | { kind: 'provisioning'; numberId: string; phoneNumber: PhoneNumberView };

/** SPEC "Purchase": a second purchase within this window needs `allowMultiple: true`. */
export const PURCHASE_VELOCITY_WINDOW_MS = 10 * 60_000;

/** A first number waiting for its Checkout Session: the one just created, or a retry's (see `decide`). */
interface CheckoutToStart {
  kind: 'checkout';
  account: PurchasingAccount;
  numberId: string;
  createdAt: Date;
  monthlyCents: number;
  stripeCustomerId: string | null;
}

type Decision =
  | { kind: 'answer'; outcome: NumberPurchaseOutcome }
  | CheckoutToStart
  | { kind: 'proceed'; account: PurchasingAccount; standing: PurchaseStanding };

type Accepted =
  | { kind: 'answer'; outcome: NumberPurchaseOutcome }
  | CheckoutToStart
  | { kind: 'provisioning'; numberId: string; phoneNumber: PhoneNumberView };

/**
 * Buying one number, payment first (SPEC "Purchase"): the rules both `POST .../purchase` and
 * `POST .../kyc` follow, and the two ways to pay. Every rule is decided in one transaction that
 * first locks the account row, so concurrent purchases of one account run one at a time and see
 * each other: in this order, the profile (another account's: 404 NOT_FOUND), an intent id
 * already used (`already_purchased`), the plan (free: 403 PLAN_FORBIDS_NUMBERS; at the limit:
 * 403 PLAN_LIMIT_REACHED), velocity (409 PURCHASE_VELOCITY), the country (needs KYC and no
 * submission: `kyc_required`; no stock: 409 COUNTRY_OUT_OF_STOCK), a first checkout still unpaid
 * (409 CHECKOUT_PENDING: a second one would start a second subscription), then the exact number
 * (409 PHONE_NUMBER_UNAVAILABLE). An intent id whose first number is still `pending_payment`
 * without a Checkout Session (creating it failed, and so did undoing the purchase) is not
 * `already_purchased` but resumed: the retry creates the session, or gets the one Stripe made
 * (same idempotency key and request), and answers its URL as the first attempt would have.
 *
 * The transaction creates the number and what must come with it (a KYC submission). A later
 * number (the account has a subscription) is created paid (`createPaidNumber`: already through
 * `payment_confirmed`, in `provisioning`, with the lifecycle's history and follow-ups, which
 * carry the work: the slot's quantity change is the billing worker's; ordering, or the
 * regulatory review, the provisioning worker's); a first number (`createPurchasedNumber`) waits
 * in `pending_payment` for its Checkout, created after the commit.
 *
 * An exact `phoneNumber` is checked at the carrier before the locked transaction (a provider
 * call never runs under the lock), after the same rules were checked without the lock, so the
 * answers keep their order; the locked transaction decides again. It is stored in the number's
 * `phone_number` column, which the provisioning worker orders exactly.
 */
@Injectable()
export class NumberPurchase {
  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly numbers: PhoneNumberReadRepository,
    private readonly inventory: CarrierInventory,
    private readonly checkout: FirstNumberCheckout,
  ) {}

  /** Another account's profile is not found, like any other id of another account (SPEC). */
  async checkProfile(accountId: string, profileId: string): Promise<void> {
    if (!(await this.purchases.isProfileOf(accountId, profileId))) throw profileNotFound();
  }

  async buy(order: NumberPurchaseOrder, now: Date = new Date()): Promise<NumberPurchaseOutcome> {
    if (order.phoneNumber) {
      const early = this.decide(order, profileChecked(await this.purchases.loadAccount(order.accountId, order.profileId)), await this.standing(order, now));
      if (early.kind === 'answer') return early.outcome;
      if (early.kind === 'proceed') await this.checkCarrierOffers(order.phoneNumber, order.country, order.requestId);
    }

    const accepted = await this.purchases.underAccountLock(order.accountId, order.profileId, (account, tx) => this.accept(order, now, account, tx));

    if (accepted.kind === 'answer') return accepted.outcome;
    if (accepted.kind === 'provisioning') return accepted;
    const checkoutUrl = await this.checkout.start({
      accountId: order.accountId,
      accountName: accepted.account.name,
      numberId: accepted.numberId,
      createdAt: accepted.createdAt,
      monthlyCents: accepted.monthlyCents,
      stripeCustomerId: accepted.stripeCustomerId,
      requestId: order.requestId,
    });
    return { kind: 'checkout', numberId: accepted.numberId, checkoutUrl };
  }

  /**
   * The locked transaction's work: the rules decided again, then the number created (a first one
   * waiting for its Checkout, a later one paid) with what the order's `regulatory` writes.
   */
  private async accept(order: NumberPurchaseOrder, now: Date, account: PurchasingAccount | null, tx: Tx): Promise<Accepted> {
    const decision = this.decide(order, profileChecked(account), await this.standing(order, now, tx));
    if (decision.kind !== 'proceed') return decision;
    if (order.phoneNumber && decision.standing.phoneNumberHeld) throw phoneNumberUnavailable();

    const input = {
      accountId: order.accountId,
      profileId: order.profileId,
      country: order.country.code,
      numberType: order.country.defaultNumberType,
      monthlyCents: order.country.monthlyCents,
      wantedPhoneNumber: order.phoneNumber ?? null,
      purchaseIntentId: order.purchaseIntentId ?? null,
      cause: order.requestId,
      now,
    };
    if (!decision.standing.stripeSubscriptionId) {
      const number = await createPurchasedNumber(tx, input);
      await order.regulatory?.withNumber(tx, number);
      return {
        kind: 'checkout',
        account: decision.account,
        numberId: number.id,
        createdAt: now,
        monthlyCents: input.monthlyCents,
        stripeCustomerId: decision.standing.stripeCustomerId,
      };
    }
    const number = await createPaidNumber(tx, input);
    await order.regulatory?.withNumber(tx, number);
    const row = await this.numbers.findForAccount(order.accountId, number.id, tx);
    if (!row) throw new Error(`number ${number.id} vanished inside its own transaction`);
    return { kind: 'provisioning', numberId: number.id, phoneNumber: presentPhoneNumber(row) };
  }

  /**
   * The rules of SPEC "Purchase" in their order, after the profile's: on the account (under its
   * lock in the purchase's transaction) and its standing (read after the account).
   */
  private decide(order: NumberPurchaseOrder, account: PurchasingAccount, standing: PurchaseStanding): Decision {
    if (standing.bought?.checkoutToResume) {
      const { createdAt, monthlyCents } = standing.bought.checkoutToResume;
      return { kind: 'checkout', account, numberId: standing.bought.numberId, createdAt, monthlyCents, stripeCustomerId: standing.stripeCustomerId };
    }
    if (standing.bought) {
      return { kind: 'answer', outcome: { kind: 'already_purchased', numberId: standing.bought.numberId, phoneNumber: standing.bought.phoneNumber } };
    }
    if (account.maxNumbers <= 0) {
      throw new DomainError('PLAN_FORBIDS_NUMBERS', `The ${account.planCode} plan does not include phone numbers: upgrade to buy one`);
    }
    if (standing.liveNumbers >= account.maxNumbers) {
      throw new DomainError('PLAN_LIMIT_REACHED', `The ${account.planCode} plan allows ${account.maxNumbers} phone number(s); release one or upgrade`, {
        details: { maxNumbers: account.maxNumbers, numbers: standing.liveNumbers },
      });
    }
    if (standing.recentPurchase && !order.allowMultiple) {
      throw new DomainError(
        'PURCHASE_VELOCITY',
        'A phone number was bought in the last 10 minutes: pass allowMultiple: true if this purchase is intended',
      );
    }
    if (order.country.needsKyc && !order.regulatory) return { kind: 'answer', outcome: { kind: 'kyc_required' } };
    if (!order.country.available) throw new DomainError('COUNTRY_OUT_OF_STOCK', `No numbers are available in ${order.country.code} right now`);
    if (!standing.stripeSubscriptionId && standing.checkoutPending) {
      throw new DomainError('CHECKOUT_PENDING', 'The checkout of the first phone number is not paid yet: complete it before buying another');
    }
    return { kind: 'proceed', account, standing };
  }

  private standing(order: NumberPurchaseOrder, now: Date, tx?: Tx): Promise<PurchaseStanding> {
    return this.purchases.standing(
      {
        accountId: order.accountId,
        recentSince: new Date(now.getTime() - PURCHASE_VELOCITY_WINDOW_MS),
        purchaseIntentId: order.purchaseIntentId,
        phoneNumber: order.phoneNumber,
      },
      tx,
    );
  }

  /**
   * The exact number must be on offer at the carrier, in the type we would order, able to receive
   * SMS (WhatsApp's activation code comes by SMS).
   */
  private async checkCarrierOffers(phoneNumber: string, country: PurchaseCountry, requestId: string): Promise<void> {
    const offered = await this.inventory.search(
      { country: country.code, numberType: country.defaultNumberType, contains: phoneNumber.slice(1), features: ['sms'], limit: 100 },
      requestId,
    );
    if (!offered.some((number) => number.phoneNumber === phoneNumber)) throw phoneNumberUnavailable();
  }
}

/** The profile is checked first, as before any rule: an account without the row has no profile either. */
function profileChecked(account: PurchasingAccount | null): PurchasingAccount {
  if (!account?.profileFound) throw profileNotFound();
  return account;
}

function profileNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'Profile not found', { param: 'profileId' });
}

function phoneNumberUnavailable(): DomainError {
  return new DomainError('PHONE_NUMBER_UNAVAILABLE', 'This phone number is no longer available: search again');
}
