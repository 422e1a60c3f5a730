import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { decideTransition } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, WHATSAPP_GATEWAY, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';

/** `kept`: what was left in place at Meta or the carrier because another of our numbers holds it. */
export type ReleaseOutcome = { released: true; kept?: string[] } | { released: false; reason: string };

/**
 * Ends a number that is `releasing`: takes it off WhatsApp at Meta, deletes it at the carrier,
 * then applies `release_completed`. It undoes only what is this number's alone: a WhatsApp
 * registration or carrier number that another of our numbers (not released) also holds — the
 * same Meta id, carrier id or E.164 number, as after a provider lost its state and gave it out
 * twice — is left in place, and why is recorded in the transition's cause and the log. Safe to run twice, even at once: Meta's deregister and the
 * carrier's release succeed on a number already gone, the carrier call carries the idempotency
 * key `release-<numberId>`, and the lifecycle's version check lets one transition through.
 */
@JobHandler('release-number')
export class ReleaseNumberHandler implements HandlesJob<'release-number'> {
  private readonly logger = new Logger(ReleaseNumberHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
  ) {}

  async handle({ numberId }: JobPayloads['release-number'], ctx: JobContext): Promise<ReleaseOutcome> {
    const number = await this.numbers.byId(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);

    const step = decideTransition(number.status, 'release_completed');
    if (!step.ok) {
      this.logger.log({ numberId, status: number.status, jobId: ctx.jobId }, `release skipped: number is ${number.status} (${step.reason})`);
      return { released: false, reason: step.reason };
    }

    const heldBy = await this.numbers.othersHoldingProviderIds(number);
    const kept: string[] = [];
    if (number.metaPhoneNumberId) {
      if (heldBy.meta) kept.push(`WhatsApp registration ${number.metaPhoneNumberId} kept: number ${heldBy.meta} holds it`);
      else await this.whatsapp.deregister(number.metaPhoneNumberId);
    }
    const telnyxNumberId = number.telnyxNumberId ?? (await this.carrierNumberId(number));
    if (telnyxNumberId) {
      if (heldBy.carrier) kept.push(`carrier number ${telnyxNumberId} kept: number ${heldBy.carrier} holds it`);
      else await this.carrier.releaseNumber(telnyxNumberId, `release-${numberId}`);
    }

    const cause = [`job ${ctx.jobId}`, ...kept].join('; ');
    const result = await this.lifecycle.apply(numberId, 'release_completed', { cause, actor: 'system' });
    if (kept.length > 0) this.logger.warn({ numberId, kept, jobId: ctx.jobId }, 'release left in place what another of our numbers holds');
    this.logger.log({ numberId, applied: result.applied, jobId: ctx.jobId }, 'number released');
    return kept.length > 0 ? { released: true, kept } : { released: true };
  }

  /**
   * The carrier's id of a number whose order was fulfilled (`provisionedAt`) but that ended before
   * `register-whatsapp` stored the id: looked up by its E.164 number. A number never fulfilled
   * is not ours at the carrier, whoever holds its E.164 number.
   */
  private async carrierNumberId(number: PhoneNumber): Promise<string | null> {
    if (!number.provisionedAt || !number.phoneNumber) return null;
    return (await this.carrier.findNumberByPhoneNumber(number.phoneNumber))?.id ?? null;
  }
}
