import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
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
} from '@numbers/persistence';
import { type PhoneNumberView, presentPhoneNumber } from '../numbers/phone-number.presenter';
import { CarrierInventory } from './carrier-inventory';
import { FirstNumberCheckout } from './first-number-checkout';

export interface PurchasePhoneNumberCommand {
  accountId: string;
  profileId: string;
  /** ISO alpha-2, upper case. */
  country: string;
  /** An exact E.164 number from inventory search. */
  phoneNumber?: string;
  purchaseIntentId?: string;
  allowMultiple?: boolean;
  /** The cause recorded in the number's history. */
  requestId: string;
}

export type PurchaseResult =
  | { status: 200; body: { status: 'already_purchased'; numberId: string; phoneNumber: string | null } }
  | { status: 202; body: { status: 'kyc_required'; country: string; numberType: string; kycUrl: string } }
  | { status: 200; body: { message: string; checkoutUrl: string } }
  | { status: 200; body: { message: string; phoneNumber: PhoneNumberView } };

/** SPEC "Purchase": a second purchase within this window needs `allowMultiple: true`. */
export const PURCHASE_VELOCITY_WINDOW_MS = 10 * 60_000;

/** Purchases of one account queue on its row lock: wait for a connection and a turn generously. */
const PURCHASE_TX = { maxWait: 15_000, timeout: 20_000 };

type Decision =
  | { kind: 'answer'; result: PurchaseResult }
  | { kind: 'proceed'; account: PurchasingAccount; standing: PurchaseStanding };

type Accepted =
  | { kind: 'answer'; result: PurchaseResult }
  | { kind: 'checkout'; account: PurchasingAccount; numberId: string; stripeCustomerId: string | null }
  | { kind: 'provisioning'; phoneNumber: PhoneNumberView };

/**
 * `POST /v1/whatsapp/phone-numbers/purchase` (SPEC "Purchase"). Every rule is decided in one
 * transaction that first locks the account row, so concurrent purchases of one account run one
 * at a time and see each other: in this order, an intent id already used (`already_purchased`),
 * the plan (free: 403 PLAN_FORBIDS_NUMBERS; at the limit: 403 PLAN_LIMIT_REACHED), velocity
 * (409 PURCHASE_VELOCITY), the country (KYC: 202 kyc_required; no stock: 409
 * COUNTRY_OUT_OF_STOCK), a first checkout still unpaid (409 CHECKOUT_PENDING: a second one would
 * start a second subscription), then the exact number (409 PHONE_NUMBER_UNAVAILABLE).
 *
 * The transaction creates the number (`createPurchasedNumber`). A later number (the account has
 * a subscription) moves on to `provisioning` in the same transaction through the lifecycle,
 * whose follow-ups carry the work (the slot's quantity change is the billing worker's); a first
 * number waits in `pending_payment` for its Checkout, created after the commit.
 *
 * An exact `phoneNumber` is checked at the carrier before the locked transaction (a provider
 * call never runs under the lock), after the same rules were checked without the lock, so the
 * answers keep their order; the locked transaction decides again. It is stored in the number's
 * `phone_number` column, which the provisioning worker orders exactly.
 */
@Injectable()
export class PurchasePhoneNumberUseCase {
  constructor(
    private readonly prisma: PrismaService,
    private readonly purchases: PurchaseRepository,
    private readonly numbers: PhoneNumberReadRepository,
    private readonly lifecycle: NumberLifecycle,
    private readonly inventory: CarrierInventory,
    private readonly checkout: FirstNumberCheckout,
    private readonly config: AppConfig,
  ) {}

  async execute(command: PurchasePhoneNumberCommand, now: Date = new Date()): Promise<PurchaseResult> {
    // Another account's profile is not found, like any other id of another account (SPEC).
    if (!(await this.purchases.isProfileOf(command.accountId, command.profileId))) {
      throw new DomainError('NOT_FOUND', 'Profile not found', { param: 'profileId' });
    }
    const country = await this.inventory.country(command.country);

    if (command.phoneNumber) {
      const early = await this.decide(this.prisma, command, country, now, false);
      if (early.kind === 'answer') return early.result;
      await this.checkCarrierOffers(command.phoneNumber, country, command.requestId);
    }

    const accepted = await this.prisma.$transaction(async (tx): Promise<Accepted> => {
      const decision = await this.decide(tx, command, country, now, true);
      if (decision.kind === 'answer') return decision;
      if (command.phoneNumber && (await this.purchases.isPhoneNumberHeld(tx, command.phoneNumber))) throw phoneNumberUnavailable();

      const number = await createPurchasedNumber(tx, {
        accountId: command.accountId,
        profileId: command.profileId,
        country: country.code,
        numberType: country.defaultNumberType,
        monthlyCents: country.monthlyCents,
        wantedPhoneNumber: command.phoneNumber ?? null,
        purchaseIntentId: command.purchaseIntentId ?? null,
        cause: command.requestId,
        now,
      });
      if (!decision.standing.stripeSubscriptionId) {
        return { kind: 'checkout', account: decision.account, numberId: number.id, stripeCustomerId: decision.standing.stripeCustomerId };
      }
      await this.lifecycle.apply(number.id, 'payment_confirmed', { cause: command.requestId, actor: 'customer' }, tx);
      const row = await this.numbers.findForAccount(command.accountId, number.id, tx);
      if (!row) throw new Error(`number ${number.id} vanished inside its own transaction`);
      return { kind: 'provisioning', phoneNumber: presentPhoneNumber(row) };
    }, PURCHASE_TX);

    switch (accepted.kind) {
      case 'answer':
        return accepted.result;
      case 'provisioning':
        return { status: 200, body: { message: 'Phone number purchased: provisioning started', phoneNumber: accepted.phoneNumber } };
      case 'checkout': {
        const checkoutUrl = await this.checkout.start(
          {
            accountId: command.accountId,
            accountName: accepted.account.name,
            numberId: accepted.numberId,
            stripeCustomerId: accepted.stripeCustomerId,
            requestId: command.requestId,
          },
          now,
        );
        return { status: 200, body: { message: 'Complete the payment at checkoutUrl to start provisioning the number', checkoutUrl } };
      }
    }
  }

  /** The rules of SPEC "Purchase" in their order; with `lock`, under the account's row lock. */
  private async decide(db: Db, command: PurchasePhoneNumberCommand, country: PurchaseCountry, now: Date, lock: boolean): Promise<Decision> {
    const account = await this.purchases.loadAccount(db, command.accountId, { lock });
    if (!account) throw notFound('Account');
    if (command.purchaseIntentId) {
      const bought = await this.purchases.findIntent(db, command.accountId, command.purchaseIntentId);
      if (bought) {
        return { kind: 'answer', result: { status: 200, body: { status: 'already_purchased', numberId: bought.numberId, phoneNumber: bought.phoneNumber } } };
      }
    }
    if (account.maxNumbers <= 0) {
      throw new DomainError('PLAN_FORBIDS_NUMBERS', `The ${account.planCode} plan does not include phone numbers: upgrade to buy one`);
    }
    const standing = await this.purchases.standing(db, command.accountId, new Date(now.getTime() - PURCHASE_VELOCITY_WINDOW_MS));
    if (standing.liveNumbers >= account.maxNumbers) {
      throw new DomainError('PLAN_LIMIT_REACHED', `The ${account.planCode} plan allows ${account.maxNumbers} phone number(s); release one or upgrade`, {
        details: { maxNumbers: account.maxNumbers, numbers: standing.liveNumbers },
      });
    }
    if (standing.recentPurchase && !command.allowMultiple) {
      throw new DomainError(
        'PURCHASE_VELOCITY',
        'A phone number was bought in the last 10 minutes: pass allowMultiple: true if this purchase is intended',
      );
    }
    if (country.needsKyc) {
      return { kind: 'answer', result: { status: 202, body: this.kycRequired(country) } };
    }
    if (!country.available) throw new DomainError('COUNTRY_OUT_OF_STOCK', `No numbers are available in ${country.code} right now`);
    if (!standing.stripeSubscriptionId && standing.checkoutPending) {
      throw new DomainError('CHECKOUT_PENDING', 'The checkout of the first phone number is not paid yet: complete it before buying another');
    }
    return { kind: 'proceed', account, standing };
  }

  private kycRequired(country: PurchaseCountry): { status: 'kyc_required'; country: string; numberType: string; kycUrl: string } {
    const query = new URLSearchParams({ country: country.code, numberType: country.defaultNumberType });
    const base = this.config.gateway.publicBaseUrl.replace(/\/+$/, '');
    return { status: 'kyc_required', country: country.code, numberType: country.defaultNumberType, kycUrl: `${base}/v1/whatsapp/phone-numbers/kyc?${query}` };
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
