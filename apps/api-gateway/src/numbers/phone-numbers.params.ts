import { NUMBER_STATUSES, isId } from '@numbers/domain';
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
    .optional(),
  profileId: id('profileId').optional(),
});
export type ListPhoneNumbersQuery = z.infer<typeof listPhoneNumbersQuerySchema>;

export const phoneNumberIdParamsSchema = z.object({ phoneNumberId: id('phoneNumberId') });
export type PhoneNumberIdParams = z.infer<typeof phoneNumberIdParamsSchema>;
