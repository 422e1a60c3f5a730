import { DEFAULT_ESTIMATE_MINUTES, isId, MAX_ESTIMATE_MINUTES, normalizeWaId } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const text = (param: string) => z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` });

/** `GET /v1/whatsapp/calls/estimate?accountId=&to=&minutes=&recording=`. */
export const callEstimateQuerySchema = z.object({
  accountId: text('accountId').refine(isId, { message: 'accountId must be a 24-character lowercase hex id' }).describe("The calling number's record id (24 hex)"),
  to: text('to')
    .transform((value, ctx) => {
      const normalized = normalizeWaId(value);
      if (!normalized) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'to must be an E.164 number, e.g. +447700900123' });
        return z.NEVER;
      }
      return normalized;
    })
    .describe('The consumer to call (E.164): its country sets the rates'),
  minutes: z.coerce
    .number({ invalid_type_error: 'minutes must be a number' })
    .gt(0, 'minutes must be more than 0')
    .max(MAX_ESTIMATE_MINUTES, `minutes must be at most ${MAX_ESTIMATE_MINUTES}`)
    .default(DEFAULT_ESTIMATE_MINUTES)
    .describe(`How long the call lasts (default ${DEFAULT_ESTIMATE_MINUTES}); Meta bills six-second pulses`),
  recording: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'recording must be true or false' }) })
    .transform((value) => value === 'true')
    .default('false')
    .describe('Whether the call is recorded'),
});
export type CallEstimateParams = z.infer<typeof callEstimateQuerySchema>;
export class CallEstimateQueryDto extends createZodDto(callEstimateQuerySchema) {}
