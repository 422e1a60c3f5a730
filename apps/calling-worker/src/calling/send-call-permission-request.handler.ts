import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { CallPermissionRepository, PhoneNumberRecords } from '@numbers/persistence';
import { ProviderError, WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';

export type PromptOutcome = { sent: true; messageId: string } | { sent: false; reason: string };

/**
 * Sends the call-permission prompt the gateway accepted. The gateway counted it against Meta's
 * limits when it accepted it (under the consumer's row lock); here Meta is asked, the message id
 * stored, and a prompt Meta refuses is marked failed, so it no longer counts. A prompt already
 * sent is not sent again (Graph takes no idempotency key).
 */
@JobHandler('send-call-permission-request')
export class SendCallPermissionRequestHandler implements HandlesJob<'send-call-permission-request'> {
  private readonly logger = new Logger(SendCallPermissionRequestHandler.name);

  constructor(
    private readonly permissions: CallPermissionRepository,
    private readonly numbers: PhoneNumberRecords,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
  ) {}

  async handle({ promptId }: JobPayloads['send-call-permission-request'], ctx: JobContext): Promise<PromptOutcome> {
    const prompt = await this.permissions.findPrompt(promptId);
    if (!prompt) throw new GiveUpError(`prompt ${promptId} does not exist`);
    if (prompt.status !== 'queued') return { sent: false, reason: `prompt is ${prompt.status} already` };
    const number = await this.numbers.byId(prompt.numberId);
    if (!number?.metaPhoneNumberId || number.status !== 'active') {
      const reason = `number ${prompt.numberId} cannot send on WhatsApp (${number?.status ?? 'missing'})`;
      await this.permissions.markPromptFailed(promptId, reason);
      return { sent: false, reason };
    }
    try {
      const { messageId } = await this.whatsapp.sendCallPermissionRequest(number.metaPhoneNumberId, { to: prompt.consumer, bodyText: prompt.bodyText });
      await this.permissions.markPromptSent(promptId, messageId);
      return { sent: true, messageId };
    } catch (error) {
      const permanent = error instanceof ProviderError && !error.retryable;
      if (!permanent && ctx.attempt < ctx.maxAttempts) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await this.permissions.markPromptFailed(promptId, reason);
      this.logger.warn({ promptId, jobId: ctx.jobId, reason }, 'Meta did not take the permission prompt');
      if (permanent) return { sent: false, reason };
      throw error;
    }
  }
}
