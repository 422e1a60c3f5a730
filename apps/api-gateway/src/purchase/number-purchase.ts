import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@numbers/domain';
import {
  createPurchasedNumber,
  NumberLifecycle,
  PhoneNumberReadRepository,
  PrismaService,
  PurchaseRepository,
  type Db,
  type PurchaseCountry,
  type PurchaseStanding,
  type PurchasingAccount,
  type Tx,
} from '@numbers/persistence';
import type { PhoneNumber } from '@prisma/client';
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
  regulatory?: { withNumber(tx: Tx, number: PhoneNumber): Promise<void> };
}

export type NumberPurchaseOutcome =
  | { kind: 'already_purchased'; numberId: string; phoneNumber: string | null }
  | { kind: 'kyc_required' }
  | { kind: 'checkout'; numberId: string; checkoutUrl: string }
  | { kind: 'provisioning'; numberId: string; phoneNumber: PhoneNumberView };

/** SPEC "Purchase": a second purchase within this window needs `allowMultiple: true`. */
export const PURCHASE_VELOCITY_WINDOW_MS = 10 * 60_000;

/** Purchases of one account queue on its row lock: wait for a connection and a turn generously. */
const PURCHASE_TX = { maxWait: 15_000, timeout: 20_000 };

type Decision =
  | { kind: 'answer'; outcome: NumberPurchaseOutcome }
  | { kind: 'proceed'; account: PurchasingAccount; standing: PurchaseStanding };

type Accepted =
  | { kind: 'answer'; outcome: NumberPurchaseOutcome }
  | { kind: 'checkout'; account: PurchasingAccount; numberId: string; stripeCustomerId: string | null }
  | { kind: 'provisioning'; numberId: string; phoneNumber: PhoneNumberView };

/**
 * Buying one number, payment first (SPEC "Purchase"): the rules both `POST .../purchase` and
 * `POST .../kyc` follow, and the two ways to pay. Every rule is decided in one transaction that
 * first locks the account row, so concurrent purchases of one account run one at a time and see
 * each other: in this order, an intent id already used (`already_purchased`), the plan (free:
 * 403 PLAN_FORBIDS_NUMBERS; at the limit: 403 PLAN_LIMIT_REACHED), velocity (409
 * PURCHASE_VELOCITY), the country (needs KYC and no submission: `kyc_required`; no stock: 409
 * COUNTRY_OUT_OF_STOCK), a first checkout still unpaid (409 CHECKOUT_PENDING: a second one would
 * start a second subscription), then the exact number (409 PHONE_NUMBER_UNAVAILABLE).
 *
 * The transaction creates the number (`createPurchasedNumber`) and what must come with it (a KYC
 * submission). A later number (the account has a subscription) moves on to `provisioning` in the
 * same transaction through the lifecycle, whose follow-ups carry the work (the slot's quantity
 * change is the billing worker's; ordering, or the regulatory review, the provisioning
 * worker's); a first number waits in `pending_payment` for its Checkout, created after the commit.
 *
 * An exact `phoneNumber` is checked at the carrier before the locked transaction (a provider
 * call never runs under the lock), after the same rules were checked without the lock, so the
 * answers keep their order; the locked transaction decides again. It is stored in the number's
 * `phone_number` column, which the provisioning worker orders exactly.
 */
@Injectable()
export class NumberPurchase {
  constructor(
    private readonly prisma: PrismaService,
    private readonly purchases: PurchaseRepository,
    private readonly numbers: PhoneNumberReadRepository,
    private readonly lifecycle: NumberLifecycle,
    private readonly inventory: CarrierInventory,
    private readonly checkout: FirstNumberCheckout,
  ) {}

  /** Another account's profile is not found, like any other id of another account (SPEC). */
  async checkProfile(accountId: string, profileId: string): Promise<void> {
    if (!(await this.purchases.isProfileOf(accountId, profileId))) {
      throw new DomainError('NOT_FOUND', 'Profile not found', { param: 'profileId' });
    }
  }

  async buy(order: NumberPurchaseOrder, now: Date = new Date()): Promise<NumberPurchaseOutcome> {
    await this.checkProfile(order.accountId, order.profileId);

    if (order.phoneNumber) {
      const early = await this.decide(this.prisma, order, now, false);
      if (early.kind === 'answer') return early.outcome;
      await this.checkCarrierOffers(order.phoneNumber, order.country, order.requestId);
    }

    const accepted = await this.prisma.$transaction(async (tx): Promise<Accepted> => {
      const decision = await this.decide(tx, order, now, true);
      if (decision.kind === 'answer') return decision;
      if (order.phoneNumber && (await this.purchases.isPhoneNumberHeld(tx, order.phoneNumber))) throw phoneNumberUnavailable();

      const number = await createPurchasedNumber(tx, {
        accountId: order.accountId,
        profileId: order.profileId,
        country: order.country.code,
        numberType: order.country.defaultNumberType,
        monthlyCents: order.country.monthlyCents,
        wantedPhoneNumber: order.phoneNumber ?? null,
        purchaseIntentId: order.purchaseIntentId ?? null,
        cause: order.requestId,
        now,
      });
      await order.regulatory?.withNumber(tx, number);
      if (!decision.standing.stripeSubscriptionId) {
        return { kind: 'checkout', account: decision.account, numberId: number.id, stripeCustomerId: decision.standing.stripeCustomerId };
      }
      await this.lifecycle.apply(number.id, 'payment_confirmed', { cause: order.requestId, actor: 'customer' }, tx);
      const row = await this.numbers.findForAccount(order.accountId, number.id, tx);
      if (!row) throw new Error(`number ${number.id} vanished inside its own transaction`);
      return { kind: 'provisioning', numberId: number.id, phoneNumber: presentPhoneNumber(row) };
    }, PURCHASE_TX);

    if (accepted.kind === 'answer') return accepted.outcome;
    if (accepted.kind === 'provisioning') return accepted;
    const checkoutUrl = await this.checkout.start(
      {
        accountId: order.accountId,
        accountName: accepted.account.name,
        numberId: accepted.numberId,
        stripeCustomerId: accepted.stripeCustomerId,
        requestId: order.requestId,
      },
      now,
    );
    return { kind: 'checkout', numberId: accepted.numberId, checkoutUrl };
  }

  /** The rules of SPEC "Purchase" in their order; with `lock`, under the account's row lock. */
  private async decide(db: Db, order: NumberPurchaseOrder, now: Date, lock: boolean): Promise<Decision> {
    const account = await this.purchases.loadAccount(db, order.accountId, { lock });
    if (!account) throw notFound('Account');
    if (order.purchaseIntentId) {
      const bought = await this.purchases.findIntent(db, order.accountId, order.purchaseIntentId);
      if (bought) return { kind: 'answer', outcome: { kind: 'already_purchased', numberId: bought.numberId, phoneNumber: bought.phoneNumber } };
    }
    if (account.maxNumbers <= 0) {
      throw new DomainError('PLAN_FORBIDS_NUMBERS', `The ${account.planCode} plan does not include phone numbers: upgrade to buy one`);
    }
    const standing = await this.purchases.standing(db, order.accountId, new Date(now.getTime() - PURCHASE_VELOCITY_WINDOW_MS));
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

function phoneNumberUnavailable(): DomainError {
  return new DomainError('PHONE_NUMBER_UNAVAILABLE', 'This phone number is no longer available: search again');
}
