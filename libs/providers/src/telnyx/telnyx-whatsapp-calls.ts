import type Telnyx from 'telnyx';
import type { DialedCall, WhatsAppCallDial } from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';

/**
 * The WhatsApp-calling part of `TelnyxSdkCarrierGateway`, over the SDK's Call Control `calls.dial`
 * and `phoneNumbers.update`. The key goes as an `Idempotency-Key` header (the SDK sends none of
 * its own) and the dial also carries Telnyx's `command_id`, which Telnyx itself deduplicates on.
 */
export async function dialWhatsAppCall(telnyx: Telnyx, input: WhatsAppCallDial, idempotencyKey: string): Promise<DialedCall> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx calls.dial');
  let data;
  try {
    ({ data } = await telnyx.calls.dial(
      {
        connection_id: input.connectionId,
        from: input.from,
        to: input.sipUri,
        sip_auth_username: input.sipUsername,
        sip_auth_password: input.sipPassword,
        sip_transport_protocol: 'TLS',
        client_state: input.clientState,
        command_id: input.commandId,
        timeout_secs: input.timeoutSecs,
        ...(input.record ? { record: 'record-from-answer' as const, record_channels: 'dual' as const, record_format: 'mp3' as const } : {}),
      },
      { headers: { 'Idempotency-Key': key } },
    ));
  } catch (error) {
    throw fromTelnyxError(error, 'calls.dial');
  }
  if (!data?.call_control_id) throw new ProviderError({ provider: 'telnyx', operation: 'calls.dial', status: 200, code: 'empty_response', retryable: true });
  return { callControlId: data.call_control_id, callLegId: data.call_leg_id ?? null, callSessionId: data.call_session_id ?? null };
}

export async function setNumberConnection(telnyx: Telnyx, telnyxNumberId: string, connectionId: string | null, idempotencyKey: string): Promise<void> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx phoneNumbers.update');
  try {
    // The SDK types connection_id as a string; null (as the number itself shows it) unassigns it.
    await telnyx.phoneNumbers.update(telnyxNumberId, { connection_id: connectionId as string }, { headers: { 'Idempotency-Key': key } });
  } catch (error) {
    throw fromTelnyxError(error, 'phoneNumbers.update');
  }
}
