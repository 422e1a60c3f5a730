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
    action: z.enum(['fail', 'delay', 'delay-answer']),
    status: z.number().int().min(400).max(599).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    times: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((fault) => fault.action === 'fail' || fault.delayMs !== undefined, {
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
  // Another business's WhatsApp Business Account holds it: registered there, adding it to ours
  // is refused (Graph's "phone number already in use").
  wabaId: z.string().min(1).optional(),
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

/** `PUT /_sim/clock`: jump to `now` (unix seconds), frozen there unless `frozen: false`. */
export const clockSetSchema = z.object({ now: z.number().int().min(0), frozen: z.boolean().default(true) });

/** `POST /_sim/clock/advance`. */
export const clockAdvanceSchema = z.object({ seconds: z.number().int().min(0).max(10 * 366 * 24 * 60 * 60) });

/** `POST /_sim/stripe/fail-next-payment`. */
export const failPaymentSchema = z.object({
  times: z.number().int().min(1).max(1000).default(1),
  declineCode: z.string().min(1).default('card_declined'),
  // Only this customer's (or subscription's) charges fail; any charge when neither is given.
  customer: z.string().min(1).optional(),
  subscription: z.string().min(1).optional(),
});

/** `POST /_sim/stripe/prices`: what a price costs. */
export const priceInputSchema = z.object({
  id: z.string().min(1),
  unitAmount: z.number().int().min(0),
  currency: z.string().length(3).optional(),
  productName: z.string().min(1).optional(),
});

/** `PUT /_sim/telnyx/number-orders/policy`. */
export const numberOrderPolicySchema = z.object({ completionDelayMs: z.number().int().min(0).max(600_000) });

/** `POST /_sim/telnyx/messages/inbound`: an SMS to one of the account's numbers. */
export const inboundMessageSchema = z.object({ to: e164, from: z.string().min(3), text: z.string().min(1).max(1600) });

/** `POST /_sim/meta/next-code-sms`: what happens to the next verification SMS. */
export const nextCodeSmsSchema = z.object({ drop: z.boolean().default(false), delayMs: z.number().int().min(0).max(600_000).default(0) });

/** `POST /_sim/webhooks/drain`. */
export const drainSchema = z.object({ timeoutMs: z.number().int().min(0).max(120_000).default(10_000) });

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
