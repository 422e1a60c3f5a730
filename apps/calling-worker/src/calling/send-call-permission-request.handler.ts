import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { interruptedPromptWentOut, PERMISSION_PROMPT_LIMITS } from '@numbers/domain';
import { CallPermissionRepository, PhoneNumberRecords, type CallPermissionPrompt } from '@numbers/persistence';
import { ProviderError, WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';

export type PromptOutcome = { sent: true; messageId: string | null } | { sent: false; reason: string };

/** How far back Meta's prompt counts reach: its longest limit's period. */
const LONGEST_LIMIT_MS = Math.max(...PERMISSION_PROMPT_LIMITS.map((limit) => limit.periodMs));

/**
 * Sends the call-permission prompt the gateway accepted. The gateway counted it against Meta's
 * limits when it accepted it (under the consumer's row lock); here Meta is asked, the message id
 * stored, and a prompt Meta refuses is marked failed, so it no longer counts.
 *
 * Graph takes no idempotency key, so a run first records its intent (`sendingAt`, committed
 * before Meta is asked). A run that finds an intent and no result follows one that died (or
 * failed to record Meta's answer): it asks Meta's prompt counts (`GET call_permissions`) whether
 * the prompt went out, and records it sent, with no message id, instead of sending it again
 * (`interruptedPromptWentOut`; the bound it leaves is in docs/architecture.md, "Calling").
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
      if (prompt.sendingAt && (await this.wentOut(prompt, number.metaPhoneNumberId))) {
        await this.permissions.markPromptSent(promptId, null);
        this.logger.warn({ promptId, jobId: ctx.jobId }, "an earlier run's prompt reached Meta: recorded as sent, not sent again");
        return { sent: true, messageId: null };
      }
      await this.permissions.markPromptSending(promptId);
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

  /** Whether Meta counts the prompt an earlier run asked it to send. */
  private async wentOut(prompt: CallPermissionPrompt, metaPhoneNumberId: string): Promise<boolean> {
    const now = new Date();
    const [meta, record, sentAt] = await Promise.all([
      this.whatsapp.getCallPermissions(metaPhoneNumberId, prompt.consumer),
      this.permissions.find(prompt.numberId, prompt.consumer),
      this.permissions.promptTimes(prompt.numberId, prompt.consumer, new Date(now.getTime() - LONGEST_LIMIT_MS), 'sent'),
    ]);
    const usage = meta.actions.find((action) => action.actionName === 'send_call_permission_request')?.limits ?? [];
    return interruptedPromptWentOut(usage, sentAt, record?.lastConnectedCallAt ?? null, now);
  }
}
