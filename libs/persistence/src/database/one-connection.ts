import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessMode, IsolationLevel, Transaction, TransactionBuilder } from 'kysely';

/** The transaction whose work runs in this async context: its pool, and whether it is still open. */
const heldBy = new AsyncLocalStorage<{ pool: object; open: boolean }>();

/**
 * A unit of work asked the pool for a connection while its transaction held one. Refused at
 * once: with a pool smaller than the units of work running at once, each could hold one and
 * wait for a second that never frees (docs/architecture.md, "Failure handling").
 */
export class SecondConnectionError extends Error {
  constructor() {
    super('a second database connection was asked for inside a transaction: pass the transaction (tx) to the statement instead');
  }
}

/** Runs a transaction's work marked as holding a connection of `pool` until the work ends. */
export async function holdingConnection<T>(pool: object, work: () => Promise<T>): Promise<T> {
  const transaction = { pool, open: true };
  try {
    return await heldBy.run(transaction, work);
  } finally {
    // Callbacks the work left behind keep the context: they run after the transaction, free.
    transaction.open = false;
  }
}

/** Throws `SecondConnectionError` when called from inside the work of an open transaction on `pool`. */
export function refuseSecondConnection(pool: object): void {
  const transaction = heldBy.getStore();
  if (transaction?.open && transaction.pool === pool) throw new SecondConnectionError();
}

/** `builder`, its transactions' work run under `holdingConnection` of `pool` (and so are the builders it makes). */
export function holdingOneConnection<DB>(pool: object, builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, key) {
      switch (key) {
        case 'execute':
          return <T>(work: (tx: Transaction<DB>) => Promise<T>) => target.execute((tx) => holdingConnection(pool, () => work(tx)));
        case 'setAccessMode':
          return (mode: AccessMode) => holdingOneConnection(pool, target.setAccessMode(mode));
        case 'setIsolationLevel':
          return (level: IsolationLevel) => holdingOneConnection(pool, target.setIsolationLevel(level));
        default:
          return Reflect.get(target, key);
      }
    },
  });
}
