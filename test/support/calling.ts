import type Zernio from '@zernio/node';
import type { GetWhatsAppCallPermissionsResponse, GetWhatsAppCallingResponse, InitiateWhatsAppCallResponse } from '@zernio/node';
import { eventually } from '@numbers/test-support';
import type { System } from './system';

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;
type Calling = GetWhatsAppCallingResponse & { callingStatus?: string };
export type InitiatedCall = InitiateWhatsAppCallResponse & { promptId?: string; action?: string };

/** Calling turned on through the SDK for an active number, forwarding to `forwardTo`; resolves once the calling worker has set it up at Meta and the carrier. */
export async function enableCalling(z: Zernio, numberId: string, forwardTo: string): Promise<Calling> {
  const enabled = dataOf<Calling>(await z.whatsappcalling.enableWhatsAppCalling({ path: { id: numberId }, body: { accountId: numberId, forwardTo } }));
  expect(enabled).toMatchObject({ success: true, callingEnabled: true, callingStatus: 'enabling', forwardTo });
  return eventually(`calling enabled on ${numberId}`, async () => {
    const read = dataOf<Calling>(await z.whatsappcalling.getWhatsAppCalling({ path: { id: numberId } }));
    return read.callingStatus === 'enabled' ? read : null;
  });
}

/**
 * The consumer allows calls from the number, as a customer gets there: the consumer writes (the
 * customer-service window opens), the customer sends Meta's permission prompt, the consumer
 * allows (the simulator's control API). Resolves once our permission is Meta's `temporary`.
 */
export async function grantCallPermission(sim: System['sim'], z: Zernio, number: { id: string; phoneNumber: string }, consumer: string): Promise<void> {
  const permissions = async () => dataOf<GetWhatsAppCallPermissionsResponse>(await z.whatsappcalling.getWhatsAppCallPermissions({ query: { accountId: number.id, to: consumer } }));
  await sim.post('/_sim/meta/consumers/messages', { to: number.phoneNumber, from: consumer, text: 'Please call me back.' });
  await eventually('the window open', async () => (await permissions()).actions?.find((a) => a.action_name === 'send_call_permission_request')?.can_perform_action);
  const prompt = dataOf<InitiatedCall>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: number.id, to: consumer, action: 'send_call_permission_request' } }));
  expect(prompt).toMatchObject({ success: true, action: 'send_call_permission_request', status: 'queued' });
  await eventually('the prompt at Meta', async () => {
    const { messages } = await sim.get<{ messages: { to: string; interactiveType: string }[] }>('/_sim/meta/calling');
    return messages.some((m) => m.to === consumer.slice(1) && m.interactiveType === 'call_permission_request');
  });
  await sim.post('/_sim/meta/consumers/permission-reply', { consumer, business: number.phoneNumber, reply: 'allow_temporary' });
  await eventually('permission granted', async () => (await permissions()).permission?.status === 'temporary');
}
