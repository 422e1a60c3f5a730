import { isId, STOCK_NUMBER_TYPES } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const text = (param: string) => z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` });

/** `POST /v1/phone-numbers/stock-watches`; a missing body is an empty one. Whether we sell in the country is checked against the countries table. */
export const createStockWatchBodySchema = z.preprocess(
  (body) => body ?? {},
  z
    .object({
      country: text('country')
        .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as US')
        .transform((code) => code.toUpperCase())
        .describe('ISO 3166-1 alpha-2 of a country listed by GET /v1/whatsapp/phone-numbers/countries'),
      numberType: z
        .enum(STOCK_NUMBER_TYPES, { errorMap: () => ({ message: `numberType must be one of ${STOCK_NUMBER_TYPES.join(', ')}` }) })
        .describe('Omit to hear when any type in the country is back')
        .optional(),
      areaCode: text('areaCode').regex(/^\d{1,6}$/, 'areaCode must be 1 to 6 digits').describe('Area code (1 to 6 digits); requires numberType').optional(),
    })
    .superRefine((body, ctx) => {
      // An area code belongs to a numbering plan of one type (the SDK: "Requires numberType").
      if (body.areaCode !== undefined && body.numberType === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['areaCode'], message: 'areaCode needs numberType: an area code is of one number type' });
      }
    })
    .transform((body) => ({ country: body.country, numberType: body.numberType ?? null, areaCode: body.areaCode ?? null })),
);
export type CreateStockWatchBody = z.infer<typeof createStockWatchBodySchema>;
export class CreateStockWatchBodyDto extends createZodDto(createStockWatchBodySchema) {}

/** `DELETE /v1/phone-numbers/stock-watches/{id}`. */
export const stockWatchIdParamsSchema = z.object({
  id: text('id').refine(isId, { message: 'id must be a 24-character lowercase hex id' }).describe('Stock watch id (24 hex)'),
});
export class StockWatchIdParamsDto extends createZodDto(stockWatchIdParamsSchema) {}
