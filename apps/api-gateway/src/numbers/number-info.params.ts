import { isId } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const id = (param: string) =>
  z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` }).refine(isId, {
    message: `${param} must be a 24-character lowercase hex id`,
  });

/** `GET /v1/whatsapp/number-info?accountId=`: the WhatsApp account is the number's record. */
export const numberInfoQuerySchema = z.object({ accountId: id('accountId').describe("The number's record id (24 hex)") });
export class NumberInfoQueryDto extends createZodDto(numberInfoQuerySchema) {}

/** `PATCH /v1/whatsapp/phone-numbers/{id}/profile {profileId}`. */
export const moveToProfileParamsSchema = z.object({ id: id('id').describe('Phone number record id (24 hex)') });
export class MoveToProfileParamsDto extends createZodDto(moveToProfileParamsSchema) {}

export const moveToProfileBodySchema = z.preprocess(
  (value) => value ?? {},
  z.object({ profileId: id('profileId').describe('The destination profile: one of the same account (24 hex)') }),
);
export class MoveToProfileBodyDto extends createZodDto(moveToProfileBodySchema) {}
