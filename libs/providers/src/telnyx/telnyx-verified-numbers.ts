import type Telnyx from 'telnyx';
import type { CallerIdVerificationMethod, CodeCheck, VerifiedNumber } from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { fromTelnyxError } from './telnyx-error.mapper';

/**
 * The caller-ID part of `TelnyxSdkCarrierGateway`, over the SDK's `verifiedNumbers`: a number the
 * carrier has verified may be shown as the caller id of the calls it originates.
 */
export async function getVerifiedNumber(telnyx: Telnyx, phoneNumber: string): Promise<VerifiedNumber | null> {
  try {
    const { data } = await telnyx.verifiedNumbers.retrieve(phoneNumber);
    return data?.phone_number ? { phoneNumber: data.phone_number, verifiedAt: data.verified_at ?? null } : null;
  } catch (error) {
    const mapped = fromTelnyxError(error, 'verifiedNumbers.retrieve');
    if (mapped instanceof ProviderError && mapped.status === 404) return null;
    throw mapped;
  }
}

/**
 * Has the carrier send a code to the number by SMS or call. Every call sends a new code (the
 * carrier takes no idempotency key here): a retry is a resend, which is what a customer asking
 * again wants.
 */
export async function startNumberVerification(telnyx: Telnyx, phoneNumber: string, method: CallerIdVerificationMethod): Promise<void> {
  try {
    await telnyx.verifiedNumbers.create({ phone_number: phoneNumber, verification_method: method });
  } catch (error) {
    throw fromTelnyxError(error, 'verifiedNumbers.create');
  }
}

/** Submits the code. The carrier's 4xx on a code it does not take (wrong, expired, none sent) is `rejected`, with its reason. */
export async function submitVerificationCode(telnyx: Telnyx, phoneNumber: string, code: string): Promise<CodeCheck> {
  try {
    const { data } = await telnyx.verifiedNumbers.actions.submitVerificationCode(phoneNumber, { verification_code: code });
    return { verified: true, verifiedAt: data?.verified_at ?? null };
  } catch (error) {
    const mapped = fromTelnyxError(error, 'verifiedNumbers.actions.verify');
    if (mapped instanceof ProviderError && mapped.status !== null && !mapped.retryable) return { verified: false, reason: mapped.detail ?? mapped.code };
    throw mapped;
  }
}
