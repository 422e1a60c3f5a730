import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { ledgerKeys, parseSlotKey } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { LedgerRepository, PhoneNumberRecords } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';

export type SlotCredits = { credited: { numberId: string; creditNoteId: string; amountCents: number }[] } | { credited: []; reason: string };

/**
 * A paid invoice charged slots of numbers that were not active yet (`slot` rows, recorded by
 * `InvoiceLedger` from the invoice's period line): each one is given back, in full, with a Stripe
 * credit note on that invoice, one unit of its period line, to the customer's balance (the next
 * invoices use it). Key `slot-credit-<number>-<invoice>`; a `credit` row per (number, invoice)
 * marks it done. A customer never pays for a number before it is active (SPEC "Purchase"): should
 * the number become active later in that period, `start-billing` charges it from its activation,
 * as for any number.
 *
 * No transaction is open while Stripe is called: each credit note is made under its key, then its
 * `credit` row written (one statement, unique by its key), so a note made before a crash, or by a
 * run at the same time, is answered again by its key and recorded once. An invoice that is not
 * paid collected nothing: nothing to credit.
 */
@JobHandler('credit-slot-charges')
export class CreditSlotChargesHandler implements HandlesJob<'credit-slot-charges'> {
  private readonly logger = new Logger(CreditSlotChargesHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly ledger: LedgerRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle({ accountId, invoiceId }: JobPayloads['credit-slot-charges'], ctx: JobContext): Promise<SlotCredits> {
    const rows = await this.ledger.ofInvoice(invoiceId, ['slot', 'credit']);
    const credited = new Set(rows.filter((r) => r.kind === 'credit').map((r) => r.numberId));
    const todo = rows.filter((r) => r.kind === 'slot' && r.accountId === accountId && r.numberId !== null && !credited.has(r.numberId));
    if (todo.length === 0) return { credited: [], reason: 'nothing left to credit' };
    const invoice = await this.stripe.getInvoice(invoiceId);
    if (invoice.status !== 'paid') return { credited: [], reason: `invoice ${invoiceId} is ${invoice.status}: nothing was collected` };

    const done: { numberId: string; creditNoteId: string; amountCents: number }[] = [];
    for (const slot of todo) {
      const numberId = slot.numberId as string;
      const lineId = parseSlotKey(slot.entryKey)?.lineId;
      const line = lineId ? invoice.lines.find((l) => l.id === lineId) : undefined;
      if (!lineId || !line?.quantity) throw new GiveUpError(`invoice ${invoiceId} has no line ${lineId} to credit number ${numberId} on`);
      const amountCents = Math.round(line.amount / line.quantity); // one unit, as Stripe computes a line's quantity credit
      const phoneNumber = (await this.numbers.byId(numberId))?.phoneNumber ?? null;
      const note = await this.stripe.createCreditNote(
        {
          invoiceId,
          lines: [{ invoiceLineItemId: lineId, quantity: 1, description: `Phone number ${phoneNumber ?? '(no number)'} (${numberId}): not active in this period` }],
          creditAmountCents: amountCents,
          memo: `The slot of phone number ${phoneNumber ?? numberId} was charged before the number was active: credited in full.`,
          metadata: { numberId, reason: 'slot_charged_before_active' },
        },
        `slot-credit-${numberId}-${invoiceId}`,
      );
      await this.ledger.record([
        {
          accountId,
          numberId,
          kind: 'credit',
          amountCents: -note.total,
          currency: note.currency,
          stripeObjectType: 'credit_note',
          stripeObjectId: note.id,
          subscriptionId: slot.subscriptionId,
          invoiceId,
          entryKey: ledgerKeys.credit(numberId, invoiceId),
          description: `slot charged before the number was active, credited to the balance (credit note ${note.id})`,
        },
      ]);
      done.push({ numberId, creditNoteId: note.id, amountCents: note.total });
    }
    this.logger.log({ accountId, invoiceId, credited: done, jobId: ctx.jobId }, 'slot charges credited');
    return { credited: done };
  }
}
