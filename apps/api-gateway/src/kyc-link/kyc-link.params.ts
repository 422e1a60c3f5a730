import { isId, KYC_PAGE_LANGUAGES } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

// The body of `POST /v1/whatsapp/phone-numbers/kyc/share` (the `@zernio/node` type
// CreateWhatsAppNumberKycLinkData). What the page may show comes from here, so each field is
// bounded and shaped: a logo and a redirect are absolute URLs (https for the logo, which the
// end customer's browser loads), a colour is hex.

const text = (param: string, max: number) =>
  z
    .string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` })
    .max(max, `${param} must be at most ${max} characters`);

const absoluteUrl = (param: string, protocols: readonly string[]) =>
  text(param, 2048).refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `${param} must be an absolute ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL` },
  );

export const createKycLinkBodySchema = z.preprocess(
  (body) => body ?? {},
  z.object({
    profileId: text('profileId', 24).refine(isId, { message: 'profileId must be a 24-character lowercase hex id' }).describe('One of your profiles (24 hex): the number is bought for it'),
    country: text('country', 2)
      .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as DE')
      .transform((code) => code.toUpperCase())
      .describe('ISO 3166-1 alpha-2 of a country that needs identity review'),
    areaCode: text('areaCode', 6).regex(/^\d{1,6}$/, 'areaCode must be 1 to 6 digits').describe('Not offered yet for regulated numbers (400)').optional(),
    language: z
      .enum(KYC_PAGE_LANGUAGES, { errorMap: () => ({ message: `language must be one of ${KYC_PAGE_LANGUAGES.join(', ')}` }) })
      .describe("The page's language; omitted: the end customer's browser language, else English. ?lang= on the page switches")
      .optional(),
    branding: z
      .object(
        {
          companyName: text('branding.companyName', 100).trim().min(1, 'branding.companyName must not be empty').optional(),
          logoUrl: absoluteUrl('branding.logoUrl', ['https:']).optional(),
          brandColor: text('branding.brandColor', 7)
            .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'branding.brandColor must be a hex colour such as #1a73e8')
            .optional(),
        },
        { invalid_type_error: 'branding must be an object' },
      )
      .optional(),
    redirect_url: absoluteUrl('redirect_url', ['https:', 'http:'])
      .describe('Where the browser goes after the submission, with kyc=submitted&country=<ISO-2> added; omitted: a confirmation page')
      .optional(),
  }),
);
export type CreateKycLinkBody = z.infer<typeof createKycLinkBodySchema>;
export class CreateKycLinkBodyDto extends createZodDto(createKycLinkBodySchema) {}
