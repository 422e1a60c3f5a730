import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import type { MetaNumberRecord } from '../state/meta.store';
import { invalidParameter, phoneNumberInUse, whatsappError } from './meta-errors';
import { toGraphPhoneNumber } from './meta-objects.mapper';

type Edge = { Params: { version: string; phoneNumberId: string } };
type WabaEdge = { Params: { version: string; wabaId: string } };

/**
 * Registering a business phone number, as Graph does it (parameters in the query string or the
 * body): `POST /{waba-id}/phone_numbers {cc, phone_number, verified_name}` → `{id}` (the same id
 * for the same number; one registered in another business's account is refused:
 * `phoneNumberInUse`), `GET /{waba-id}/phone_numbers`, `POST /{id}/request_code
 * {code_method:'SMS', language}`, `POST /{id}/verify_code {code}`, `POST /{id}/register
 * {messaging_product:'whatsapp', pin}` (a PIN set before must match), `POST /{id} {pin}` (sets the
 * two-step PIN).
 */
export function registerMetaRegistrationRoutes(
  app: FastifyInstance,
  { state, services }: SimulatorContext,
  find: (method: string, params: Edge['Params']) => MetaNumberRecord,
): void {
  const store = state.meta;
  const now = () => state.clock.now();

  app.post<WabaEdge>('/:version/:wabaId/phone_numbers', async (request) => {
    const params = paramsOf(request);
    const cc = requiredParam(params, 'cc');
    const digits = requiredParam(params, 'phone_number').replace(/\D/g, '');
    const verifiedName = requiredParam(params, 'verified_name');
    if (!/^\d{1,3}$/.test(cc)) throw invalidParameter('Param cc must be a country calling code, e.g. 1');
    const national = digits.startsWith(cc) && digits.length - cc.length >= 6 ? digits.slice(cc.length) : digits;
    if (national.length < 4 || cc.length + national.length > 15) throw invalidParameter('Param phone_number is not a valid phone number');
    const phoneNumber = `+${cc}${national}`;
    const existing = store.findByPhoneNumber(phoneNumber);
    // Registered in another business's account: refused. Ours (or never registered): the same id.
    if (existing && existing.registered && existing.wabaId !== null && existing.wabaId !== request.params.wabaId) throw phoneNumberInUse(phoneNumber);
    if (existing) return { id: existing.id };
    const record = store.addNumber({
      wabaId: request.params.wabaId,
      phoneNumber,
      displayPhoneNumber: displayFormat(cc, national),
      verifiedName,
      codeVerificationStatus: 'NOT_VERIFIED',
      registered: false,
    });
    return { id: record.id };
  });

  app.get<WabaEdge>('/:version/:wabaId/phone_numbers', async (request) => {
    const data = store.listByWaba(request.params.wabaId).map(toGraphPhoneNumber);
    return { data, paging: { cursors: { before: 'QVFIUk', after: 'QVFIUk' } } };
  });

  app.post<Edge>('/:version/:phoneNumberId/request_code', async (request) => {
    const record = find('POST', request.params);
    const params = paramsOf(request);
    const method = requiredParam(params, 'code_method').toUpperCase();
    requiredParam(params, 'language');
    if (method !== 'SMS' && method !== 'VOICE') throw invalidParameter('Param code_method must be one of {SMS, VOICE}');
    if (method === 'VOICE') throw invalidParameter('code_method VOICE is not simulated: request SMS');
    if (record.codeVerificationStatus === 'VERIFIED') {
      throw whatsappError(136024, 'Request code error', 'You have already verified ownership of this phone number.');
    }
    services.metaCodes.send(record, now());
    return { success: true };
  });

  app.post<Edge>('/:version/:phoneNumberId/verify_code', async (request) => {
    const record = find('POST', request.params);
    const code = requiredParam(paramsOf(request), 'code').replace(/[\s-]/g, '');
    const pending = record.verification;
    if (record.codeVerificationStatus === 'VERIFIED') {
      if (pending?.code === code) return { success: true }; // a retried verify after success
      throw whatsappError(136025, 'Verify code error', 'You have already verified ownership of this phone number.');
    }
    if (!pending) throw whatsappError(136025, 'Verify code error', 'No verification code was requested for this phone number.');
    if (now() > pending.expiresAt) {
      record.codeVerificationStatus = 'EXPIRED';
      throw whatsappError(136025, 'Verify code error', 'The verification code has expired. Request a new code.');
    }
    if (pending.code !== code) {
      pending.failedAttempts += 1;
      throw whatsappError(136025, 'Verify code error', "Code couldn't be verified. Check the code and try again.");
    }
    record.codeVerificationStatus = 'VERIFIED';
    return { success: true };
  });

  app.post<Edge>('/:version/:phoneNumberId/register', async (request) => {
    const record = find('POST', request.params);
    const params = paramsOf(request);
    if (requiredParam(params, 'messaging_product') !== 'whatsapp') throw invalidParameter('Param messaging_product must be whatsapp');
    const pin = requiredParam(params, 'pin');
    if (!/^\d{6}$/.test(pin)) throw invalidParameter('Param pin must be 6 digits');
    if (record.codeVerificationStatus !== 'VERIFIED') {
      throw whatsappError(133006, 'Phone number re-verification needed', 'Phone number needs to be verified before registering.');
    }
    if (record.pin !== null && record.pin !== pin) {
      throw whatsappError(133005, 'Two step verification PIN Mismatch', 'The two-step verification PIN is not the one set for this number.');
    }
    record.pin = pin;
    record.registered = true;
    record.deregisteredAt = null;
    return { success: true };
  });

  // Two-step verification: sets the PIN whatever it was (it outlives a deregistration).
  app.post<Edge>('/:version/:phoneNumberId', async (request) => {
    const record = find('POST', request.params);
    const pin = requiredParam(paramsOf(request), 'pin');
    if (!/^\d{6}$/.test(pin)) throw invalidParameter('Param pin must be 6 digits');
    record.pin = pin;
    return { success: true };
  });
}

/** Graph reads parameters from the query string and the body alike. */
function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  return { ...(request.query as Record<string, unknown>), ...body };
}

function requiredParam(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw invalidParameter(`The parameter ${name} is required`);
  return value.trim();
}

/** `+1 415-555-0123` for NANP numbers, `+44 2079460000` style otherwise. */
function displayFormat(cc: string, national: string): string {
  if (cc === '1' && national.length === 10) return `+1 ${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  return `+${cc} ${national}`;
}
