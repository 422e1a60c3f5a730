import { Injectable, Logger } from '@nestjs/common';
import type { JobContext } from '@numbers/messaging';
import { NumberLifecycle, type PhoneNumber, type TransitionContext, type Tx } from '@numbers/persistence';
import { ProviderError } from '@numbers/providers';

export type SettlementContext = Pick<TransitionContext, 'cause' | 'actor'>;

/** A number whose provisioning ended: `applied` false when it had moved on already. */
export type ProvisioningEnded = { outcome: 'failed'; applied: boolean; reason: string };

/**
 * How a number's provisioning ends: `provisioning_failed` with the reason stored (the lifecycle
 * then releases it and takes its slot out of the subscription).
 */
@Injectable()
export class ProvisioningFailure {
  private readonly logger = new Logger(ProvisioningFailure.name);

  constructor(private readonly lifecycle: NumberLifecycle) {}

  /** The number cannot be had: end it with the reason stored. */
  async end(number: string | PhoneNumber, reason: string, context: SettlementContext, tx?: Tx): Promise<ProvisioningEnded> {
    const result = await this.lifecycle.apply(number, 'provisioning_failed', { ...context, patch: { failureReason: reason } }, tx);
    this.logger.warn({ numberId: result.number.id, reason, applied: result.applied }, 'provisioning failed');
    return { outcome: 'failed', applied: result.applied, reason };
  }

  /**
   * Runs a provider step of the number's provisioning in the job `ctx`. A step that can never
   * succeed, because the provider refused it (4xx) or it still fails on the job's last attempt,
   * ends the number with `refused` and the provider's message as the reason; any other error goes
   * back to the queue for a retry.
   */
  async unlessRefused<T>(number: PhoneNumber, ctx: JobContext, refused: string, step: () => Promise<T>): Promise<T | ProvisioningEnded> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ProviderError) || (error.retryable && ctx.attempt < ctx.maxAttempts)) throw error;
      return this.end(number, `${refused}: ${error.message}`, jobContext(ctx));
    }
  }
}

/** The cause and actor of what a job changes. */
export function jobContext(ctx: JobContext): SettlementContext {
  return { cause: `job ${ctx.jobId}`, actor: 'system' };
}
