import { randomUUID } from 'node:crypto';
import type { Customer, LoadContext } from './load-context';
import { until } from './load-context';

/** A business number with calling on, and a consumer who allowed its calls. */
export interface CallPair {
  numberId: string;
  metaPhoneNumberId: string;
  phoneNumber: string;
  consumer: string;
}

/** One call the load placed. */
export interface PlacedCall {
  numberId: string;
  consumer: string;
  key: string;
  callId?: string;
}

const FORWARD_TO = 'tel:+14155550199';

interface Permissions {
  permission?: { status?: string };
  actions?: { action_name: string; can_perform_action: boolean }[];
}

/** Turns calling on for an active number and waits until Meta and the carrier have it. */
export async function enableCalling(context: LoadContext, customer: Customer, numberId: string): Promise<void> {
  await customer.client.send('enable calling', (z, options) =>
    z.whatsappcalling.enableWhatsAppCalling({ ...options, path: { id: numberId }, body: { accountId: numberId, forwardTo: FORWARD_TO } }),
  );
  await until(context, `calling enabled on ${numberId}`, () =>
    context.db.selectFrom('phoneNumbers').select('id').where('id', '=', numberId).where('callingStatus', '=', 'enabled').executeTakeFirst(),
  );
}

/**
 * The consumer writes to the number (the 24-hour window opens), the business sends the
 * permission prompt once (Idempotency-Key), the consumer allows calls for good.
 */
export async function obtainPermission(context: LoadContext, customer: Customer, pair: CallPair): Promise<void> {
  const permissions = () =>
    customer.client.send<Permissions>('call permissions', (z, options) =>
      z.whatsappcalling.getWhatsAppCallPermissions({ ...options, query: { accountId: pair.numberId, to: pair.consumer } }),
    );
  await context.sim.post('/_sim/meta/consumers/messages', { to: pair.phoneNumber, from: pair.consumer, text: 'Please call me' });
  await until(context, `window open for ${pair.consumer}`, async () => (await permissions()).actions?.find((a) => a.action_name === 'send_call_permission_request')?.can_perform_action);
  const key = randomUUID();
  await customer.client.send(
    'permission prompt',
    (z, options) => z.whatsappcalling.initiateWhatsAppCall({ ...options, body: { accountId: pair.numberId, to: pair.consumer, action: 'send_call_permission_request' } as never }),
    key,
  );
  await until(context, `the prompt to ${pair.consumer} at Meta`, async () => {
    const { messages } = await context.sim.get<{ messages: { numberId: string; to: string; interactiveType: string | null }[] }>('/_sim/meta/calling');
    return messages.some((m) => m.numberId === pair.metaPhoneNumberId && m.to === pair.consumer.slice(1) && m.interactiveType === 'call_permission_request');
  });
  await context.sim.post('/_sim/meta/consumers/permission-reply', { consumer: pair.consumer, business: pair.phoneNumber, reply: 'allow_permanent' });
  await until(context, `permission from ${pair.consumer}`, async () => (await permissions()).permission?.status === 'permanent');
}

/** Places one call (Idempotency-Key), recorded in `placed` before it is asked for: `callId` once the API answered. */
export async function placeCall(customer: Customer, pair: CallPair, placed: PlacedCall[]): Promise<void> {
  const key = randomUUID();
  const call: PlacedCall = { numberId: pair.numberId, consumer: pair.consumer, key };
  placed.push(call);
  const answer = await customer.client.send<{ callId?: string }>(
    'call',
    (z, options) => z.whatsappcalling.initiateWhatsAppCall({ ...options, body: { accountId: pair.numberId, to: pair.consumer } }),
    key,
  );
  call.callId = answer.callId;
}
