import type { Database } from '@numbers/persistence';
import { countOf, eventually, type SimulatorProcess } from '@numbers/test-support';

const IN_FLIGHT_NUMBER = ['pending_payment', 'provisioning', 'pending_regulatory', 'verifying', 'releasing'] as const;
const IN_FLIGHT_CALL = ['dialing', 'ringing', 'answered'] as const;

/** What is still moving, by name: empty once the system is quiet. */
export async function workInFlight(db: Database, sim: SimulatorProcess): Promise<string[]> {
  const { pending } = await sim.get<{ pending: unknown[] }>('/_sim/webhooks/pending');
  const counts: [string, number][] = [
    ['webhooks the providers are still sending', pending.length],
    ['numbers in flight', await countOf(db.selectFrom('phoneNumbers').where('status', 'in', IN_FLIGHT_NUMBER))],
    ['calls in flight', await countOf(db.selectFrom('calls').where('status', 'in', IN_FLIGHT_CALL))],
    ['calling settings in flight', await countOf(db.selectFrom('phoneNumbers').where('callingStatus', 'in', ['enabling', 'disabling']))],
    ['outbox rows not published', await countOf(db.selectFrom('outbox').where('publishedAt', 'is', null))],
    ['jobs not finished', await countOf(db.selectFrom('outbox').where('kind', '=', 'job').where('finishedAt', 'is', null))],
    ['webhook events not processed', await countOf(db.selectFrom('webhookEvents').where('processedAt', 'is', null))],
    [
      'active numbers whose billing has not started',
      await countOf(
        db
          .selectFrom('phoneNumbers as n')
          .where('n.status', '=', 'active')
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('ledgerEntries as l').select('l.id').whereRef('l.numberId', '=', 'n.id').where('l.kind', '=', 'charge')))),
      ),
    ],
  ];
  return counts.filter(([, n]) => n > 0).map(([what, n]) => `${what}: ${n}`);
}

/** Waits until nothing is in flight; resolves with what still is at the timeout (empty when quiet). */
export async function waitForQuiescence(db: Database, sim: SimulatorProcess, timeoutMs: number): Promise<string[]> {
  let left: string[] = [];
  await eventually(
    'quiescence',
    async () => {
      left = await workInFlight(db, sim).catch((error: unknown) => [`not readable: ${String(error)}`]);
      return left.length === 0;
    },
    timeoutMs,
    500,
  ).catch(() => undefined);
  return left;
}
