import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { decideTransition } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, TELNYX_CALL_LIMIT_MS, WHATSAPP_GATEWAY, type CarrierGateway, type CarrierNumber, type WhatsAppGateway } from '@numbers/providers';

/** `kept`: what was left in place at Meta or the carrier because another of our numbers holds it. */
export type ReleaseOutcome = { released: true; kept?: string[] } | { released: false; reason: string };

/**
 * Ends a number that is `releasing`: takes it off WhatsApp at Meta, deletes it at the carrier,
 * then applies `release_completed`. It undoes only what is this number's alone: a WhatsApp
 * registration or carrier number that another of our numbers (not released) also holds — the
 * same Meta id, carrier id or E.164 number, as after a provider lost its state and gave it out
 * twice — is left in place, and why is recorded in the transition's cause and the log. A number
 * released while its carrier order was still in flight (right after purchase, or after its
 * provisioning failed on an order whose answer was lost) is found at the carrier by its orders
 * (`orderedAtCarrier`), so the number the order bought is released too. Safe to run twice, even
 * at once: Meta's deregister and the carrier's release succeed on a number already gone, the
 * carrier call carries the idempotency key `release-<numberId>`, and the lifecycle's version
 * check lets one transition through.
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
    if (number.telnyxNumberId) {
      if (heldBy.carrier) kept.push(`carrier number ${number.telnyxNumberId} kept: number ${heldBy.carrier} holds it`);
      else await this.carrier.releaseNumber(number.telnyxNumberId, `release-${numberId}`);
    } else {
      for (const held of await this.orderedAtCarrier(number)) {
        const holder = (await this.numbers.othersHoldingProviderIds({ ...number, phoneNumber: held.phoneNumber, metaPhoneNumberId: null, telnyxNumberId: held.id })).carrier;
        if (holder) kept.push(`carrier number ${held.id} kept: number ${holder} holds it`);
        // One key per carrier number: an order may have bought more than one over its retries.
        else await this.carrier.releaseNumber(held.id, `release-${numberId}-${held.id}`);
      }
    }

    const cause = [`job ${ctx.jobId}`, ...kept].join('; ');
    const result = await this.lifecycle.apply(numberId, 'release_completed', { cause, actor: 'system' });
    if (kept.length > 0) this.logger.warn({ numberId, kept, jobId: ctx.jobId }, 'release left in place what another of our numbers holds');
    this.logger.log({ numberId, applied: result.applied, jobId: ctx.jobId }, 'number released');
    return kept.length > 0 ? { released: true, kept } : { released: true };
  }

  /**
   * What the carrier holds for a number that ends before `register-whatsapp` stored its carrier
   * id: the live numbers of its successful orders, found by the customer reference every order
   * carries (our number id), whether or not we stored the order or heard that it completed. An
   * order still pending fails the job (retried): releasing before the carrier settles it would
   * leave the number it then fulfils live, and no one to release it. So does an order still being
   * sent (`carrier_order_started_at`, CarrierOrderPlacement), which the carrier cannot list yet,
   * until the longest a Telnyx call takes has passed (its sender died). A number given back (its
   * WhatsApp registration conflicted) was released then, and a number never ordered has no order.
   */
  private async orderedAtCarrier(number: PhoneNumber): Promise<CarrierNumber[]> {
    const sent = number.carrierOrderStartedAt;
    if (sent && Date.now() - sent.getTime() < TELNYX_CALL_LIMIT_MS) {
      throw new Error(`number ${number.id}: a carrier order is being sent (since ${sent.toISOString()}); released once the carrier has it`);
    }
    const orders = await this.carrier.listNumberOrders(number.id);
    const pending = orders.find((order) => order.status === 'pending');
    if (pending) throw new Error(`number ${number.id}: carrier order ${pending.orderId} is still pending; released once the carrier settles it`);
    const lines = orders.flatMap((order) => (order.status === 'success' ? order.phoneNumbers : [])).filter((line) => line.status === 'success');
    const phones = [...new Set(lines.map((line) => line.phoneNumber))].filter((phone) => !number.givenBackPhoneNumbers.includes(phone));
    const held = await Promise.all(phones.map((phone) => this.carrier.findNumberByPhoneNumber(phone)));
    return held.filter((found): found is CarrierNumber => found !== null);
  }
}
