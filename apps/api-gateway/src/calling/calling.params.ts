import { CALL_DIRECTIONS, CALL_LIST_STATUSES, checkForwardTo, decodeCallCursor, FORWARD_TO_PATTERN, invalidParam, isId, normalizeWaId, PERMISSION_PROMPT_BODY_MAX } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const text = (param: string) => z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` });
const id = (param: string) => text(param).refine(isId, { message: `${param} must be a 24-character lowercase hex id` });
const bool = (param: string) => z.boolean({ invalid_type_error: `${param} must be a boolean` });

/** A consumer's WhatsApp id: E.164, the `+` optional; normalized to `+<digits>`. */
const waId = (param: string) =>
  text(param).transform((value, ctx) => {
    const normalized = normalizeWaId(value);
    if (!normalized) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${param} must be an E.164 number, e.g. +447700900123` });
      return z.NEVER;
    }
    return normalized;
  });

const forwardTo = (param = 'forwardTo') =>
  text(param).max(512, `${param} must be at most 512 characters`).regex(FORWARD_TO_PATTERN, `${param} must be tel:+E164, a sip: URI or a wss:// URL`);

/**
 * A forwardTo that passed the schema must also not point at a private, loopback or link-local
 * address (loopback allowed by CALL_FORWARD_ALLOW_LOOPBACK): a setting, so checked by the
 * services rather than the static schema.
 */
export function assertForwardToAllowed(forwardTo: string | null | undefined, allowLoopback: boolean): void {
  if (forwardTo === null || forwardTo === undefined) return;
  const problem = checkForwardTo(forwardTo, { allowLoopback });
  if (problem) throw invalidParam('forwardTo', problem);
}

const countries = (param: string) =>
  z.array(text(`${param}[]`).regex(/^[A-Za-z]{2}$/, `${param} must list ISO 3166-1 alpha-2 codes`).transform((c) => c.toUpperCase()), {
    invalid_type_error: `${param} must be an array of country codes`,
  }).max(250);

const maxDuration = (param: string) =>
  z.number({ invalid_type_error: `${param} must be a number of seconds` }).int(`${param} must be whole seconds`).min(10).max(4 * 3600);

const forwardCallerId = z.enum(['business', 'caller'], { errorMap: () => ({ message: 'forwardCallerId must be business or caller' }) });

/** A missing body is an empty one: the field it lacks is named. */
const body = <S extends z.ZodTypeAny>(schema: S) => z.preprocess((value) => value ?? {}, schema);

export const numberIdParamsSchema = z.object({ id: id('id').describe('Phone number record id (24 hex)') });
export type NumberIdParams = z.infer<typeof numberIdParamsSchema>;
export class NumberIdParamsDto extends createZodDto(numberIdParamsSchema) {}

export const callIdParamsSchema = z.object({ id: id('id').describe('Call id (24 hex)') });
export class CallIdParamsDto extends createZodDto(callIdParamsSchema) {}

/** `accountId` names the sending number (SPEC "Calling"). */
export const accountQuerySchema = z.object({ accountId: id('accountId').describe("The number's record id (24 hex)") });
export class AccountQueryDto extends createZodDto(accountQuerySchema) {}
export const optionalAccountQuerySchema = z.object({ accountId: id('accountId').describe("The number's record id (24 hex); when given, the number in the path or the one that placed the call").optional() });
export class OptionalAccountQueryDto extends createZodDto(optionalAccountQuerySchema) {}

/** `POST /v1/phone-numbers/{id}/whatsapp/calling` (and the legacy path). */
export const enableCallingBodySchema = body(
  z.object({
    accountId: id('accountId').optional(),
    forwardTo: forwardTo(),
    sipAuthUsername: text('sipAuthUsername').min(1).max(128).optional(),
    sipAuthPassword: text('sipAuthPassword').min(1).max(256).optional(),
    recordingEnabled: bool('recordingEnabled').optional(),
    callIconCountries: countries('callIconCountries').optional(),
    maxCallDurationSeconds: maxDuration('maxCallDurationSeconds').optional(),
    forwardCallerId: forwardCallerId.optional(),
  }),
);
export type EnableCallingBody = z.infer<typeof enableCallingBodySchema>;
export class EnableCallingBodyDto extends createZodDto(enableCallingBodySchema) {}

/** `PATCH`: every field optional; `null` clears the nullable ones. */
export const updateCallingBodySchema = body(
  z.object({
    accountId: id('accountId').optional(),
    forwardTo: forwardTo().optional(),
    sipAuthUsername: text('sipAuthUsername').min(1).max(128).nullable().optional(),
    sipAuthPassword: text('sipAuthPassword').min(1).max(256).nullable().optional(),
    recordingEnabled: bool('recordingEnabled').optional(),
    callIconCountries: countries('callIconCountries').nullable().optional(),
    maxCallDurationSeconds: maxDuration('maxCallDurationSeconds').nullable().optional(),
    forwardCallerId: forwardCallerId.optional(),
  }),
);
export type UpdateCallingBody = z.infer<typeof updateCallingBodySchema>;
export class UpdateCallingBodyDto extends createZodDto(updateCallingBodySchema) {}

/** `POST /v1/whatsapp/calls`: a call, or (`action`) the permission prompt. */
export const initiateCallBodySchema = body(
  z
    .object({
      accountId: id('accountId'),
      to: waId('to'),
      action: z.enum(['send_call_permission_request'], { errorMap: () => ({ message: 'action must be send_call_permission_request' }) }).optional(),
      bodyText: text('bodyText')
        .min(1, 'bodyText must not be empty')
        .max(PERMISSION_PROMPT_BODY_MAX, `bodyText must be at most ${PERMISSION_PROMPT_BODY_MAX} characters`)
        .optional(),
      forwardTo: forwardTo().optional(),
      recordOverride: bool('recordOverride').optional(),
      biz_opaque_callback_data: text('biz_opaque_callback_data').max(512, 'biz_opaque_callback_data must be at most 512 characters').optional(),
    })
    .superRefine((value, ctx) => {
      if (value.bodyText !== undefined && value.action !== 'send_call_permission_request') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['bodyText'], message: 'bodyText goes with action send_call_permission_request only' });
      }
    }),
);
export type InitiateCallBody = z.infer<typeof initiateCallBodySchema>;
export class InitiateCallBodyDto extends createZodDto(initiateCallBodySchema) {}

const instant = (param: string) =>
  text(param).transform((value, ctx) => {
    const at = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${param} must be an ISO 8601 date-time` });
      return z.NEVER;
    }
    return at;
  });

/** `GET /v1/whatsapp/calls/{id}/recording?accountId=&as=json`. */
export const callRecordingQuerySchema = z.object({
  accountId: id('accountId').describe("The number's record id (24 hex): the number that placed or took the call"),
  as: z.enum(['json'], { errorMap: () => ({ message: 'as must be json' }) }).describe('json: answer {url} instead of a 302 redirect').optional(),
});
export class CallRecordingQueryDto extends createZodDto(callRecordingQuerySchema) {}

/** `GET /v1/whatsapp/calls?accountId=&status=&direction=&since=&until=&before=&limit=`. */
export const listCallsQuerySchema = z.object({
  accountId: id('accountId').describe("The number's record id (24 hex)"),
  status: z.enum(CALL_LIST_STATUSES, { errorMap: () => ({ message: `status must be one of ${CALL_LIST_STATUSES.join(', ')}` }) }).optional(),
  direction: z.enum(CALL_DIRECTIONS, { errorMap: () => ({ message: `direction must be one of ${CALL_DIRECTIONS.join(', ')}` }) }).optional(),
  since: instant('since').optional(),
  until: instant('until').optional(),
  before: text('before').transform((value, ctx) => {
    const cursor = decodeCallCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'before must be a nextCursor or an ISO 8601 date-time' });
      return z.NEVER;
    }
    return cursor;
  }).describe("The previous page's nextCursor, or an ISO 8601 date-time: calls started before it").optional(),
  limit: z.coerce
    .number({ invalid_type_error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be 1 to 100')
    .max(100, 'limit must be 1 to 100')
    .default(25),
});
export type ListCallsQuery = z.infer<typeof listCallsQuerySchema>;
export class ListCallsQueryDto extends createZodDto(listCallsQuerySchema) {}

/** `GET /v1/whatsapp/call-permissions?accountId=&to=`. */
export const callPermissionsQuerySchema = z.object({
  accountId: id('accountId').describe("The number's record id (24 hex)"),
  to: waId('to').describe("The consumer's WhatsApp number (E.164)"),
});
export type CallPermissionsQuery = z.infer<typeof callPermissionsQuerySchema>;
export class CallPermissionsQueryDto extends createZodDto(callPermissionsQuerySchema) {}
