import type { FastifyInstance } from 'fastify';
import { ProviderReplyError } from '../shared/provider-reply';
import type { SimulatorContext } from '../simulator.context';
import type { VerifiedNumberRecord } from '../state/telnyx-verified-number.store';
import { telnyxError, telnyxNotFound } from './telnyx-errors';

type ByNumber = { Params: { phoneNumber: string } };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Verified numbers (caller ids): `POST /v2/verified_numbers {phone_number, verification_method}`
 * sends a code by SMS or call and answers `{phone_number, verification_method}` (not wrapped in
 * `data`, as the SDK types it); `GET /v2/verified_numbers/:phone_number` (`verified_at` null while
 * the code is awaited); `POST /v2/verified_numbers/:phone_number/actions/verify
 * {verification_code}`: a wrong, expired or used code is a 422. The code a phone received is in
 * `GET /_sim/telnyx/verified-numbers`.
 */
export function registerTelnyxVerifiedNumberRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  const store = state.telnyxVerifiedNumbers;

  app.post<{ Body: { phone_number?: unknown; verification_method?: unknown } }>('/verified_numbers', async (request) => {
    const phoneNumber = request.body?.phone_number;
    const method = request.body?.verification_method;
    if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) throw invalid('phone_number must be an E.164 number.');
    if (method !== 'sms' && method !== 'call') throw invalid('verification_method must be sms or call.');
    const record = store.sendCode(phoneNumber, method, state.clock.now());
    return { phone_number: record.phoneNumber, verification_method: record.verificationMethod };
  });

  app.get<ByNumber>('/verified_numbers/:phoneNumber', async (request) => ({ data: toVerifiedNumber(found(request.params.phoneNumber)) }));

  app.post<ByNumber & { Body: { verification_code?: unknown } }>('/verified_numbers/:phoneNumber/actions/verify', async (request) => {
    const record = found(request.params.phoneNumber);
    const code = request.body?.verification_code;
    if (typeof code !== 'string' || !store.verify(record, code, state.clock.now(), new Date(state.clock.now() * 1000).toISOString())) {
      throw new ProviderReplyError(telnyxError(422, '10015', 'Invalid verification code', 'The verification code is wrong, expired or already used.'));
    }
    return { data: toVerifiedNumber(record) };
  });

  function found(phoneNumber: string): VerifiedNumberRecord {
    const record = store.find(phoneNumber);
    if (!record) throw telnyxNotFound();
    return record;
  }
}

function toVerifiedNumber(record: VerifiedNumberRecord): Record<string, unknown> {
  return { phone_number: record.phoneNumber, record_type: 'verified_number', verified_at: record.verifiedAt };
}

function invalid(detail: string): ProviderReplyError {
  return new ProviderReplyError(telnyxError(422, '10015', 'Invalid value for parameter', detail));
}
