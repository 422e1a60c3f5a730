import { isId } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The number types of the public API (Prisma `NumberType`, Telnyx `phone_number_type`). */
export const NUMBER_TYPES = ['local', 'mobile', 'national', 'toll_free'] as const;
export type PublicNumberType = (typeof NUMBER_TYPES)[number];

const E164 = /^\+[1-9]\d{6,14}$/;

const text = (param: string) => z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` });

const id = (param: string) => text(param).refine(isId, { message: `${param} must be a 24-character lowercase hex id` });

/** ISO 3166-1 alpha-2, either case; upper-cased. Whether we sell there is checked against the countries table. */
const countryCode = (param = 'country') =>
  text(param)
    .regex(/^[A-Za-z]{2}$/, `${param} must be an ISO 3166-1 alpha-2 code such as US`)
    .transform((code) => code.toUpperCase());

const numberType = (param: string) =>
  z.enum(NUMBER_TYPES, { errorMap: () => ({ message: `${param} must be one of ${NUMBER_TYPES.join(', ')}` }) });

/** `POST /v1/whatsapp/phone-numbers/purchase`; unknown fields are ignored. A missing body is an empty one. */
export const purchaseBodySchema = z.preprocess(
  (body) => body ?? {},
  z.object({
    profileId: id('profileId').describe('One of your profiles (24 hex)'),
    country: countryCode().default('US').describe('ISO 3166-1 alpha-2'),
    phoneNumber: text('phoneNumber')
      .regex(E164, 'phoneNumber must be E.164, e.g. +14155550123')
      .describe('One exact E.164 number from GET /v1/whatsapp/phone-numbers/available')
      .optional(),
    purchaseIntentId: text('purchaseIntentId')
      .min(1, 'purchaseIntentId must not be empty')
      .max(128, 'purchaseIntentId must be at most 128 characters')
      .describe('Idempotency key: a retry with the same value answers already_purchased')
      .optional(),
    allowMultiple: z.boolean({ invalid_type_error: 'allowMultiple must be a boolean' }).describe('Confirms a second purchase within 10 minutes').optional(),
  }),
);
export type PurchaseBody = z.infer<typeof purchaseBodySchema>;
export class PurchaseBodyDto extends createZodDto(purchaseBodySchema) {}

const areaCode = (param: string) => text(param).regex(/^\d{1,6}$/, `${param} must be 1 to 6 digits`);

/**
 * `GET /v1/whatsapp/phone-numbers/available`. `prefix` and `type` are the deprecated aliases of
 * `areaCode` and `numberType`; giving both spellings with different values is a 400.
 */
export const searchAvailableQuerySchema = z
  .object({
    country: countryCode().default('US').describe('ISO 3166-1 alpha-2'),
    areaCode: areaCode('areaCode').describe('Area code the number must have, e.g. 415').optional(),
    prefix: areaCode('prefix').describe('Deprecated alias of areaCode').optional(),
    contains: text('contains').regex(/^\+?\d{1,15}$/, 'contains must be up to 15 digits').describe('Digits the number contains').optional(),
    locality: text('locality').trim().min(1, 'locality must not be empty').max(100, 'locality must be at most 100 characters').describe('City').optional(),
    numberType: numberType('numberType').describe("Default: the country's type").optional(),
    type: numberType('type').describe('Deprecated alias of numberType').optional(),
    limit: z.coerce
      .number({ invalid_type_error: 'limit must be a number' })
      .int('limit must be an integer')
      .min(1, 'limit must be at least 1')
      .max(100, 'limit must be at most 100')
      .optional(),
  })
  .superRefine((query, ctx) => {
    if (query.prefix && query.areaCode && query.prefix !== query.areaCode) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['prefix'], message: 'prefix is an alias of areaCode: give one of them' });
    }
    if (query.type && query.numberType && query.type !== query.numberType) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['type'], message: 'type is an alias of numberType: give one of them' });
    }
  })
  .transform(({ prefix, type, ...query }) => ({
    ...query,
    areaCode: query.areaCode ?? prefix,
    numberType: query.numberType ?? type,
  }));
export type SearchAvailableQuery = z.infer<typeof searchAvailableQuerySchema>;
export class SearchAvailableQueryDto extends createZodDto(searchAvailableQuerySchema) {}

/** `GET /v1/whatsapp/phone-numbers/availability`. */
export const availabilityQuerySchema = z.object({
  country: countryCode().describe('ISO 3166-1 alpha-2'),
  numberType: numberType('numberType').optional(),
  sms: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'sms must be true or false' }) })
    .transform((value) => value === 'true')
    .describe('Only the SMS-capable pool')
    .optional(),
});
export type AvailabilityQuery = z.infer<typeof availabilityQuerySchema>;
export class AvailabilityQueryDto extends createZodDto(availabilityQuerySchema) {}
