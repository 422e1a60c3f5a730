import { SUBSCRIBABLE_EVENT_TYPES, isSubscribableEventType } from '@numbers/contracts';
import { isId, isReservedDeliveryHeader } from '@numbers/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const text = (param: string) => z.string({ required_error: `${param} is required`, invalid_type_error: `${param} must be a string` });
const id = (param: string) => text(param).refine(isId, { message: `${param} must be a 24-character lowercase hex id` });
const body = <S extends z.ZodTypeAny>(schema: S) => z.preprocess((value) => value ?? {}, schema);

const name = text('name').min(1, 'name must be 1 to 50 characters').max(50, 'name must be 1 to 50 characters');
const url = text('url').max(2048, 'url must be at most 2048 characters');
const secret = text('secret').min(16, 'secret must be at least 16 characters').max(256, 'secret must be at most 256 characters');
const events = z
  .array(
    text('events[]').refine(isSubscribableEventType, (value) => ({
      message: `"${value}" is not an event this API sends (one of ${SUBSCRIBABLE_EVENT_TYPES.join(', ')})`,
    })),
    { required_error: 'events is required', invalid_type_error: 'events must be an array of event names' },
  )
  .min(1, 'events must name at least one event')
  .transform((list) => [...new Set(list)]);
const isActive = z.boolean({ invalid_type_error: 'isActive must be a boolean' });
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const customHeaders = z
  .record(text('customHeaders value').max(1024, 'a custom header value must be at most 1024 characters').regex(/^[^\r\n]*$/, 'a custom header value must be one line'), {
    invalid_type_error: 'customHeaders must be an object of header names to string values',
  })
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > 20) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'customHeaders may hold at most 20 headers' });
    for (const header of names) {
      if (!HEADER_NAME.test(header)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [header], message: `"${header}" is not a valid header name` });
      else if (isReservedDeliveryHeader(header)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [header], message: `"${header}" is set by every delivery and cannot be overridden` });
    }
  });

/** `POST /v1/webhooks/settings`. */
export const createWebhookBodySchema = body(
  z.object({ name, url, secret: secret.optional(), events, isActive: isActive.optional(), customHeaders: customHeaders.optional() }),
);
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;
export class CreateWebhookBodyDto extends createZodDto(createWebhookBodySchema) {}

/** `PUT /v1/webhooks/settings`: the endpoint named by `webhookId` (or `_id`, as the SDK allows). */
export const updateWebhookBodySchema = body(
  z
    .object({
      webhookId: id('webhookId').optional(),
      _id: id('_id').describe('Alias of webhookId').optional(),
      name: name.optional(),
      url: url.optional(),
      secret: secret.optional(),
      events: events.optional(),
      isActive: isActive.optional(),
      customHeaders: customHeaders.optional(),
    })
    .superRefine((value, ctx) => {
      if (!value.webhookId && !value._id) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['webhookId'], message: 'webhookId is required' });
    })
    .transform(({ webhookId, _id, ...patch }) => ({ webhookId: (webhookId ?? _id) as string, patch })),
);
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;
export class UpdateWebhookBodyDto extends createZodDto(updateWebhookBodySchema) {}

/** `DELETE /v1/webhooks/settings?webhookId=` (or `id=`). */
export const deleteWebhookQuerySchema = z
  .object({ webhookId: id('webhookId').optional(), id: id('id').describe('Deprecated alias of webhookId').optional() })
  .superRefine((value, ctx) => {
    if (!value.webhookId && !value.id) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['webhookId'], message: 'webhookId is required' });
  })
  .transform((value) => ({ webhookId: (value.webhookId ?? value.id) as string }));
export class DeleteWebhookQueryDto extends createZodDto(deleteWebhookQuerySchema) {}

/** `POST /v1/webhooks/test`. */
export const testWebhookBodySchema = body(z.object({ webhookId: id('webhookId') }));
export class TestWebhookBodyDto extends createZodDto(testWebhookBodySchema) {}

/** `POST /v1/webhooks/logs/redeliver`. */
export const redeliverBodySchema = body(z.object({ webhookId: id('webhookId'), eventId: id('eventId') }));
export class RedeliverBodyDto extends createZodDto(redeliverBodySchema) {}

const integer = (param: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${param} must be a number` })
    .int(`${param} must be a whole number`)
    .min(min, `${param} must be at least ${min}`)
    .max(max, `${param} must be at most ${max}`)
    .default(fallback);

/** `GET /v1/webhooks/logs`. */
export const webhookLogsQuerySchema = z.object({
  webhookId: id('webhookId').optional(),
  event: text('event').max(64).optional(),
  eventId: id('eventId').optional(),
  status: z.enum(['success', 'failed'], { errorMap: () => ({ message: 'status must be success or failed' }) }).optional(),
  limit: integer('limit', 1, 100, 50),
  skip: integer('skip', 0, 1_000_000, 0),
});
export type WebhookLogsQuery = z.infer<typeof webhookLogsQuerySchema>;
export class WebhookLogsQueryDto extends createZodDto(webhookLogsQuerySchema) {}
