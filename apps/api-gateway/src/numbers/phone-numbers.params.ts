import { NUMBER_STATUSES, isId } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const id = (what: string) =>
  z.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a string` }).refine(isId, {
    message: `${what} must be a 24-character lowercase hex id`,
  });

/** `GET /v1/whatsapp/phone-numbers?status=&profileId=`; other query parameters are ignored. */
export const listPhoneNumbersQuerySchema = z.object({
  status: z
    .enum(NUMBER_STATUSES, {
      errorMap: () => ({ message: `status must be one of ${NUMBER_STATUSES.join(', ')}` }),
    })
    .describe('Only numbers in this state (pending_regulatory also shows numbers declined in the last 30 days; released is the only way to see released numbers)')
    .optional(),
  profileId: id('profileId').describe('Only numbers of this profile (24 hex)').optional(),
});
export type ListPhoneNumbersQuery = z.infer<typeof listPhoneNumbersQuerySchema>;
export class ListPhoneNumbersQueryDto extends createZodDto(listPhoneNumbersQuerySchema) {}

export const phoneNumberIdParamsSchema = z.object({ phoneNumberId: id('phoneNumberId').describe('Phone number record id (24 hex)') });
export type PhoneNumberIdParams = z.infer<typeof phoneNumberIdParamsSchema>;
export class PhoneNumberIdParamsDto extends createZodDto(phoneNumberIdParamsSchema) {}
