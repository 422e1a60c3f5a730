import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { ProviderReplyError } from '../shared/provider-reply';
import { toTelnyxPhoneNumber } from './telnyx-objects.mapper';
import { telnyxError, telnyxNotFound } from './telnyx-errors';

type ById = { Params: { id: string } };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Telnyx Call Control `POST /v2/calls` (dial: answers at once, `is_alive: false`; the call's
 * progress follows as webhooks, see TelnyxCalls), and `PATCH /v2/phone_numbers/:id
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

function optional(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
