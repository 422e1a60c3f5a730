import { z } from 'zod';
import { PROVIDER_NAMES } from '../shared/provider-name';

const digits = z.string().regex(/^\d{6,25}$/, 'must be digits');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +15551234567');

/** `POST /_sim/faults`. */
export const faultInputSchema = z
  .object({
    provider: z.enum(PROVIDER_NAMES),
    method: z
      .string()
      .regex(/^([A-Za-z]+|\*)$/)
      .default('*'),
    path: z.string().min(1),
    action: z.enum(['fail', 'delay']),
    status: z.number().int().min(400).max(599).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    times: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((fault) => fault.action !== 'delay' || fault.delayMs !== undefined, {
    message: 'a delay fault needs delayMs',
    path: ['delayMs'],
  });

/** `POST /_sim/telnyx/numbers`: a number that exists at the carrier. */
export const telnyxNumberInputSchema = z.object({
  id: digits.optional(),
  phoneNumber: e164.optional(),
  status: z
    .enum(['purchase-pending', 'active', 'requirement-info-pending', 'requirement-info-under-review'])
    .optional(),
  countryIso: z.string().length(2).toUpperCase().optional(),
  phoneNumberType: z.enum(['local', 'toll_free', 'mobile', 'national']).optional(),
  connectionId: z.string().min(1).nullable().optional(),
  messagingProfileId: z.string().min(1).nullable().optional(),
  customerReference: z.string().min(1).nullable().optional(),
  tags: z.array(z.string()).optional(),
});

/** `POST /_sim/meta/numbers`: a WhatsApp business phone number at Meta. */
export const metaNumberInputSchema = z.object({
  id: digits.optional(),
  displayPhoneNumber: z.string().min(3),
  verifiedName: z.string().min(1).optional(),
  codeVerificationStatus: z.enum(['NOT_VERIFIED', 'VERIFIED', 'EXPIRED']).optional(),
  registered: z.boolean().optional(),
});

const policyFields = {
  delayMs: z.number().int().min(0).max(120_000).optional(),
  copies: z.number().int().min(1).max(20).optional(),
  shuffle: z.boolean().optional(),
};

/** `PUT /_sim/webhooks/policy`. */
export const webhookPolicyInputSchema = z.object(policyFields);

/** `POST /_sim/webhooks/deliveries`: send signed events now (`events` is delivered as a batch). */
export const webhookDeliveryInputSchema = z
  .object({ provider: z.enum(PROVIDER_NAMES), event: z.unknown().optional(), events: z.array(z.unknown()).optional(), ...policyFields })
  .refine((input) => (input.event === undefined) !== (input.events === undefined), {
    message: 'give exactly one of event or events',
  });

export const requestLogQuerySchema = z.object({ provider: z.enum(PROVIDER_NAMES).optional() });

export class ControlInputError extends Error {
  readonly statusCode = 400;
}

/** Parses a control-API input or throws a 400 naming every problem. */
export function parseControlInput<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new ControlInputError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
  );
}
