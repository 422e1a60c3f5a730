import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** `POST /v1/phone-numbers/{id}/whatsapp/caller-id-verification {method?}`: the code by SMS (default) or a call. */
export const startCallerIdBodySchema = z.preprocess(
  (value) => value ?? {},
  z.object({
    method: z.enum(['sms', 'call'], { errorMap: () => ({ message: 'method must be sms or call' }) }).default('sms').describe('How the carrier sends the code'),
  }),
);
export type StartCallerIdBody = z.infer<typeof startCallerIdBodySchema>;
export class StartCallerIdBodyDto extends createZodDto(startCallerIdBodySchema) {}

/** `POST .../caller-id-verification/verify {code}`. */
export const verifyCallerIdBodySchema = z.preprocess(
  (value) => value ?? {},
  z.object({
    code: z
      .string({ required_error: 'code is required', invalid_type_error: 'code must be a string' })
      .trim()
      .regex(/^\d{4,10}$/, 'code must be the digits the number received')
      .describe('The code the number received'),
  }),
);
export class VerifyCallerIdBodyDto extends createZodDto(verifyCallerIdBodySchema) {}
