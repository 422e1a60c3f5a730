import { limiter, pacer } from '../../bench/concurrency';
import type { ChaosProfile } from '../profiles';
import { enableCalling, obtainPermission, placeCall, type CallPair, type PlacedCall } from './calling';
import { newCustomer, type Customer, type LoadContext } from './load-context';
import { buyNumber, releaseNumber, untilActive, type Purchase } from './purchases';

/** What the load asked for; the checks compare it with what the system and the providers hold. */
export interface LoadResult {
  purchases: Purchase[];
  calls: PlacedCall[];
  pairs: CallPair[];
  /** Every account the load made, for the per-account checks. */
  accountIds: string[];
}

const NUMBERS_PER_US_ACCOUNT = 20; // under the scale plan's 25
const NUMBERS_PER_DE_ACCOUNT = 2;
const CALLING_NUMBERS = 2;
const CONSUMERS_PER_NUMBER = 3;

/** The accounts, made before any fault: a customer exists before it buys. */
export interface Customers {
  us: { customer: Customer; numbers: number }[];
  de: { customer: Customer; numbers: number }[];
  calling: Customer;
}

export async function createCustomers(context: LoadContext, profile: ChaosProfile): Promise<Customers> {
  const split = (total: number, per: number) => Array.from({ length: Math.ceil(total / per) }, (_, i) => Math.min(per, total - i * per));
  const us = await Promise.all(split(profile.usPurchases - CALLING_NUMBERS, NUMBERS_PER_US_ACCOUNT).map(async (numbers, i) => ({ customer: await newCustomer(context, `Chaos US ${i}`), numbers })));
  const de = await Promise.all(split(profile.regulatedPurchases, NUMBERS_PER_DE_ACCOUNT).map(async (numbers, i) => ({ customer: await newCustomer(context, `Chaos DE ${i}`), numbers })));
  return { us, de, calling: await newCustomer(context, 'Chaos calling') };
}

/**
 * The mixed load: US numbers bought over several accounts (some released right after their
 * purchase, some once active), DE numbers through KYC and review, and a calling account whose
 * numbers, once active, get calling on, consumers' permissions, and `profile.calls` calls.
 * Purchases start evenly over `profile.loadSpreadMs`, calls over its first half once set up.
 * Work that fails is recorded in `context.problems`, never thrown: the checks judge the end.
 */
export async function runLoad(context: LoadContext, profile: ChaosProfile, customers: Customers): Promise<LoadResult> {
  const limit = limiter(profile.concurrency);
  const pacePurchase = pacer(profile.usPurchases + profile.regulatedPurchases, profile.loadSpreadMs);
  const paceCall = pacer(profile.calls, profile.loadSpreadMs / 2);
  const result: LoadResult = {
    purchases: [],
    calls: [],
    pairs: [],
    accountIds: [...customers.us, ...customers.de].map((a) => a.customer.account.accountId).concat(customers.calling.account.accountId),
  };
  const attempt = async (what: string, task: () => Promise<unknown>): Promise<void> => {
    try {
      await task();
    } catch (error) {
      context.problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  let releasesNow = Math.floor(profile.releases / 2);
  let releasesOnceActive = profile.releases - releasesNow;
  const buyAll = async (customer: Customer, country: 'US' | 'DE', numbers: number) => {
    let first: Purchase | undefined;
    await attempt(`first ${country} purchase`, async () => (first = await buyNumber(context, customer, country, true, result.purchases)));
    if (!first) return;
    await Promise.all(
      Array.from({ length: numbers - 1 }, async () => {
        await pacePurchase();
        return limit(() =>
          attempt(`${country} purchase`, async () => {
            const purchase = await buyNumber(context, customer, country, false, result.purchases);
            if (country !== 'US') return;
            if (releasesNow > 0) {
              releasesNow -= 1;
              await releaseNumber(customer, purchase);
            } else if (releasesOnceActive > 0 && purchase.numberId) {
              releasesOnceActive -= 1;
              await untilActive(context, purchase.numberId);
              await releaseNumber(customer, purchase);
            }
          }),
        );
      }),
    );
  };

  const calling = async () => {
    const customer = customers.calling;
    const bought: Purchase[] = [];
    await attempt('calling number purchase', async () => {
      bought.push(await buyNumber(context, customer, 'US', true, result.purchases));
      for (let i = 1; i < CALLING_NUMBERS; i++) bought.push(await buyNumber(context, customer, 'US', false, result.purchases));
    });
    await Promise.all(
      bought.map((purchase, n) =>
        attempt('calling setup', async () => {
          const number = await untilActive(context, purchase.numberId ?? '');
          await enableCalling(context, customer, number.id);
          for (let c = 0; c < CONSUMERS_PER_NUMBER; c++) {
            const pair: CallPair = { numberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId ?? '', phoneNumber: number.phoneNumber ?? '', consumer: `+4477009${String(n).padStart(2, '0')}${String(c).padStart(3, '0')}` };
            await obtainPermission(context, customer, pair);
            result.pairs.push(pair);
          }
        }),
      ),
    );
    if (result.pairs.length === 0) return;
    const pairs = result.pairs;
    await Promise.all(Array.from({ length: profile.calls }, (_, i) => paceCall().then(() => limit(() => attempt('call', () => placeCall(customer, pairs[i % pairs.length], result.calls))))));
  };

  await Promise.all([
    ...customers.us.map(({ customer, numbers }) => buyAll(customer, 'US', numbers)),
    ...customers.de.map(({ customer, numbers }) => buyAll(customer, 'DE', numbers)),
    calling(),
  ]);
  return result;
}
