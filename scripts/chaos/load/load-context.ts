import type { Database } from '@numbers/persistence';
import { createTestAccountWithKey, eventually, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import type { ApiTraffic } from './api-traffic';
import { ChaosClient } from './chaos-client';

/** What the load needs: the database (to read, never to write a number), the simulator, the gateways. */
export interface LoadContext {
  db: Database;
  sim: SimulatorProcess;
  gatewayUrls: string[];
  traffic: ApiTraffic;
  /** How long a client keeps retrying one request. */
  giveUpMs: number;
  /** How long the load waits for a number or a call to reach a state it needs before going on. */
  waitMs: number;
  /** Problems of the load itself (an unexpected 4xx, a request never answered), for the report. */
  problems: string[];
}

export interface Customer {
  account: TestAccountWithKey;
  client: ChaosClient;
}

/** A customer with an API key, as `account:create` makes one (written before the faults start). */
export async function newCustomer(context: LoadContext, name: string, planCode = 'scale'): Promise<Customer> {
  const account = await createTestAccountWithKey(context.db, { name, planCode });
  return { account, client: new ChaosClient(account.apiKey, context.gatewayUrls, context.traffic, context.giveUpMs) };
}

/** Polls the database until `probe` holds; a query that fails (PostgreSQL restarting) counts as not yet. */
export function until<T>(context: LoadContext, what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  return eventually(what, () => probe().catch(() => null), context.waitMs, 250);
}
