import { isId } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NUMBER_TYPES } from '../purchase/purchase.params';

// The shapes of the KYC endpoints' inputs (the `@zernio/node` types GetWhatsAppNumberKycFormData,
// SubmitWhatsAppNumberKycData, ValidateWhatsAppNumberKycAddressData, RemediateWhatsAppNumberData).
// A field of the wrong type or size is a 400 naming it here; what a country's form needs (which
// fields, their formats, the address rules) is checked by the domain's KYC rules afterwards.

const text = (param: string, max = 200) =>
  z
    .string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` })
    .max(max, `${param} must be at most ${max} characters`);

const nonEmpty = (param: string, max = 200) => text(param, max).trim().min(1, `${param} must not be empty`);

const id = (param: string) => text(param, 24).refine(isId, { message: `${param} must be a 24-character lowercase hex id` });

const countryCode = (param = 'country') =>
  text(param, 2)
    .regex(/^[A-Za-z]{2}$/, `${param} must be an ISO 3166-1 alpha-2 code such as DE`)
    .transform((code) => code.toUpperCase());

const REQUIREMENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const requirementId = (param: string) => text(param, 64).regex(REQUIREMENT_ID, `${param} must be a requirement id from the KYC form`);

/** requirementId → text value. */
const values = z
  .record(
    z.string().regex(REQUIREMENT_ID, 'values keys must be requirement ids from the KYC form'),
    z.string({ invalid_type_error: 'values must map requirement ids to strings' }).max(500, 'values must be at most 500 characters each'),
    { invalid_type_error: 'values must be an object of requirementId to value' },
  )
  .refine((record) => Object.keys(record).length <= 50, 'values may hold at most 50 fields');

/** One document: inline base64 with its file name, or the id of an uploaded document. */
const document = z
  .object(
    {
      requirementId: requirementId('requirementId'),
      filename: nonEmpty('filename', 255).describe('With base64').optional(),
      base64: z
        .string({ invalid_type_error: 'base64 must be a string' })
        .min(1, 'base64 must not be empty')
        .describe('The file, base64 (PDF, JPG, PNG or WEBP, at most 10 MB; the request at most 1 MB)')
        .optional(),
      documentId: id('documentId').describe('Instead of base64: an id from POST /v1/whatsapp/phone-numbers/kyc/upload-document').optional(),
    },
    { invalid_type_error: 'each document must be an object' },
  )
  .superRefine((doc, ctx) => {
    if ((doc.base64 === undefined) === (doc.documentId === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['base64'], message: 'give either base64 (with filename) or documentId' });
    } else if (doc.base64 !== undefined && doc.filename === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['filename'], message: 'filename is required with base64' });
    }
  });
export type KycDocumentInput = z.infer<typeof document>;

const documents = z.array(document, { invalid_type_error: 'documents must be an array' }).max(10, 'documents may hold at most 10 files');

/** An address (Telnyx's field names); which fields are required is the domain's address rule. */
const address = z.object(
  {
    requirementId: requirementId('requirementId').optional(),
    country_code: countryCode('country_code').optional(),
    business_name: nonEmpty('business_name').optional(),
    first_name: nonEmpty('first_name', 100).optional(),
    last_name: nonEmpty('last_name', 100).optional(),
    street_address: text('street_address').optional(),
    extended_address: text('extended_address').optional(),
    locality: text('locality', 100).optional(),
    administrative_area: text('administrative_area', 100).optional(),
    postal_code: text('postal_code', 16).optional(),
  },
  { invalid_type_error: 'address must be an object' },
);

/** `GET /v1/whatsapp/phone-numbers/kyc?country=&profileId=&numberType=`. */
export const kycFormQuerySchema = z.object({
  country: countryCode().describe('ISO 3166-1 alpha-2 of a country that needs identity review'),
  profileId: id('profileId').describe('One of your profiles (24 hex)'),
  numberType: z.enum(NUMBER_TYPES, { errorMap: () => ({ message: `numberType must be one of ${NUMBER_TYPES.join(', ')}` }) }).optional(),
});
export type KycFormQuery = z.infer<typeof kycFormQuerySchema>;
export class KycFormQueryDto extends createZodDto(kycFormQuerySchema) {}

/** `POST /v1/whatsapp/phone-numbers/kyc`; unknown fields are ignored. A missing body is an empty one. */
export const submitKycBodySchema = z.preprocess(
  (body) => body ?? {},
  z.object({
    profileId: id('profileId').describe('One of your profiles (24 hex)'),
    country: countryCode().describe('ISO 3166-1 alpha-2'),
    submissionId: nonEmpty('submissionId', 128).describe('Idempotency token: a retry answers kyc_already_submitted with the same number').optional(),
    quantity: z
      .number({ invalid_type_error: 'quantity must be a number' })
      .int('quantity must be an integer')
      .min(1, 'quantity must be at least 1')
      .max(5, 'quantity must be at most 5')
      .describe('Only 1 for now')
      .optional(),
    reuse: z.boolean({ invalid_type_error: 'reuse must be a boolean' }).describe('Reuse an approved verification of this country (the form lists them)').optional(),
    reuseOptionId: id('reuseOptionId').describe("One of the form's reusable options").optional(),
    reuseFrom: text('reuseFrom', 20)
      .regex(/^\+[1-9]\d{6,14}$/, 'reuseFrom must be E.164, e.g. +4930123456')
      .describe('Legacy: the number of the verification to reuse')
      .optional(),
    areaCode: text('areaCode', 6).regex(/^\d{1,6}$/, 'areaCode must be 1 to 6 digits').optional(),
    preOrder: z.boolean({ invalid_type_error: 'preOrder must be a boolean' }).optional(),
    allowMultiple: z.boolean({ invalid_type_error: 'allowMultiple must be a boolean' }).describe('Confirms a second purchase within 10 minutes').optional(),
    endUserFirstName: nonEmpty('endUserFirstName', 100).optional(),
    endUserLastName: nonEmpty('endUserLastName', 100).optional(),
    values: values.describe('requirementId to value').optional(),
    documents: documents.optional(),
    address: address.optional(),
  }),
);
export type SubmitKycBody = z.infer<typeof submitKycBodySchema>;
export class SubmitKycBodyDto extends createZodDto(submitKycBodySchema) {}

/** `POST /v1/whatsapp/phone-numbers/kyc/validate-address`. */
export const validateAddressBodySchema = z.preprocess(
  (body) => body ?? {},
  z.object({
    country: countryCode(),
    street_address: text('street_address'),
    extended_address: text('extended_address').optional(),
    locality: text('locality', 100),
    administrative_area: text('administrative_area', 100).describe('Without it the region pre-check is skipped').optional(),
    postal_code: text('postal_code', 16),
  }),
);
export type ValidateAddressBody = z.infer<typeof validateAddressBodySchema>;
export class ValidateAddressBodyDto extends createZodDto(validateAddressBodySchema) {}

/** `POST /v1/whatsapp/phone-numbers/{id}/remediate`: the corrected fields only. */
export const remediateBodySchema = z.preprocess(
  (body) => body ?? {},
  z
    .object({ values: values.optional(), documents: documents.optional(), address: address.optional() })
    .refine((body) => body.values !== undefined || body.documents !== undefined || body.address !== undefined, {
      message: 'send the corrected fields: values, documents or address',
      path: ['values'],
    }),
);
export type RemediateBody = z.infer<typeof remediateBodySchema>;
export class RemediateBodyDto extends createZodDto(remediateBodySchema) {}

/** `X-Filename` of `POST .../kyc/upload-document`: the URL-encoded original file name. */
export const X_FILENAME = 'x-filename';
