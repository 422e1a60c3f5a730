import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { ProviderReplyError } from '../shared/provider-reply';
import { toTelnyxPhoneNumber } from './telnyx-objects.mapper';
import { telnyxError, telnyxNotFound } from './telnyx-errors';

type ById = { Params: { id: string } };
type ByCallControlId = { Params: { callControlId: string } };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Telnyx Call Control `POST /v2/calls` (dial: answers at once, `is_alive: false`; the call's
 * progress follows as webhooks, see TelnyxCalls), the commands on a call in progress
 * (`POST /v2/calls/:id/actions/{answer,transfer,reject,hangup}`: `{data:{result:'ok'}}`),
 * `GET /v2/recordings/:id` (with fresh signed `download_urls`), and `PATCH /v2/phone_numbers/:id
 * {connection_id}` (which connection takes the number's calls).
 */
export function registerTelnyxCallRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  app.post('/calls', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const connectionId = optional(body['connection_id']);
    if (!connectionId) throw invalid('connection_id', 'connection_id is required.');
    const from = optional(body['from']);
    if (!from || !E164.test(from)) throw invalid('from', 'from must be an E.164 number, e.g. +15551234567.');
    const to = optional(body['to']);
    if (!to || !(E164.test(to) || /^sips?:/i.test(to))) throw invalid('to', 'to must be an E.164 number or a SIP URI.');
    const clientState = optional(body['client_state']);
    if (clientState !== null && !/^[A-Za-z0-9+/]+={0,2}$/.test(clientState)) throw invalid('client_state', 'client_state must be Base64.');
    const timeout = body['timeout_secs'] === undefined ? 30 : Number(body['timeout_secs']);
    if (!Number.isInteger(timeout) || timeout < 5 || timeout > 600) throw invalid('timeout_secs', 'timeout_secs must be 5 to 600.');
    const call = services.telnyxCalls.dial({
      connectionId,
      from,
      to,
      sipAuthUsername: optional(body['sip_auth_username']),
      sipAuthPassword: optional(body['sip_auth_password']),
      sipTransportProtocol: optional(body['sip_transport_protocol']),
      clientState,
      commandId: optional(body['command_id']),
      timeoutSecs: timeout,
      record: recordFrom(body),
    });
    return {
      data: {
        call_control_id: call.callControlId,
        call_leg_id: call.callLegId,
        call_session_id: call.callSessionId,
        is_alive: false,
        record_type: 'call',
        ...(clientState ? { client_state: clientState } : {}),
        start_time: call.startedAt,
      },
    };
  });

  const ok = { data: { result: 'ok' } };

  app.post<ByCallControlId>('/calls/:callControlId/actions/answer', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const clientState = base64OrNull(body['client_state'], 'client_state');
    const streamUrl = optional(body['stream_url']);
    if (streamUrl !== null && !/^wss?:\/\//i.test(streamUrl)) throw invalid('stream_url', 'stream_url must be a ws:// or wss:// URL.');
    services.telnyxCalls.answer(request.params.callControlId, { clientState, commandId: optional(body['command_id']), record: recordFrom(body), streamUrl });
    return ok;
  });

  app.post<ByCallControlId>('/calls/:callControlId/actions/transfer', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const to = optional(body['to']);
    if (!to || !(E164.test(to) || /^sips?:/i.test(to))) throw invalid('to', 'to must be an E.164 number or a SIP URI.');
    const from = optional(body['from']);
    if (from !== null && !E164.test(from)) throw invalid('from', 'from must be an E.164 number, e.g. +15551234567.');
    const timeout = body['timeout_secs'] === undefined ? 30 : Number(body['timeout_secs']);
    if (!Number.isInteger(timeout) || timeout < 5 || timeout > 600) throw invalid('timeout_secs', 'timeout_secs must be 5 to 600.');
    services.telnyxCalls.transfer(request.params.callControlId, {
      to,
      from,
      targetLegClientState: base64OrNull(body['target_leg_client_state'], 'target_leg_client_state'),
      commandId: optional(body['command_id']),
      timeoutSecs: timeout,
    });
    return ok;
  });

  app.post<ByCallControlId>('/calls/:callControlId/actions/reject', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const cause = optional(body['cause']);
    if (cause !== 'CALL_REJECTED' && cause !== 'USER_BUSY') throw invalid('cause', 'cause must be CALL_REJECTED or USER_BUSY.');
    services.telnyxCalls.reject(request.params.callControlId, optional(body['command_id']), cause);
    return ok;
  });

  app.post<ByCallControlId>('/calls/:callControlId/actions/hangup', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    services.telnyxCalls.hangupCommand(request.params.callControlId, optional(body['command_id']));
    return ok;
  });

  app.get<ById>('/recordings/:id', async (request) => {
    const recording = state.telnyxCalls.recording(request.params.id);
    if (!recording) throw telnyxNotFound();
    return {
      data: {
        id: recording.id,
        record_type: 'recording',
        call_control_id: recording.callControlId,
        call_leg_id: recording.callLegId,
        call_session_id: recording.callSessionId,
        channels: recording.channels,
        source: 'call',
        status: 'completed',
        duration_millis: Date.parse(recording.endedAt) - Date.parse(recording.startedAt),
        recording_started_at: recording.startedAt,
        recording_ended_at: recording.endedAt,
        created_at: recording.endedAt,
        download_urls: { mp3: services.telnyxCalls.recordingUrl(recording.id) },
      },
    };
  });

  app.patch<ById>('/phone_numbers/:id', async (request) => {
    const record = state.telnyx.findLive(request.params.id);
    if (!record) throw telnyxNotFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    if ('connection_id' in body) {
      const value = body['connection_id'];
      if (value !== null && typeof value !== 'string') throw invalid('connection_id', 'connection_id must be a string or null.');
      record.connectionId = value === '' ? null : (value as string | null);
    }
    if (typeof body['customer_reference'] === 'string') record.customerReference = body['customer_reference'];
    record.updatedAt = new Date().toISOString();
    return { data: toTelnyxPhoneNumber(record) };
  });
}

/** Telnyx's `record: record-from-answer` (any other value records nothing). */
function recordFrom(body: Record<string, unknown>): boolean {
  return body['record'] === 'record-from-answer';
}

function base64OrNull(value: unknown, pointer: string): string | null {
  const text = optional(value);
  if (text !== null && !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw invalid(pointer, `${pointer} must be Base64.`);
  return text;
}

function optional(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
