import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { requestedCallingStatus, isCallingStatus, type CallingStatus } from '@numbers/domain';
import type { PhoneNumber, Prisma } from '@prisma/client';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

/** A hosted number with what calling needs to know of its country. */
export type CallingNumber = PhoneNumber & { outboundCallingAvailable: boolean };

/** The calling fields a customer sets (enable, update); undefined leaves a field as it is. */
export type CallingSettingsPatch = Pick<
  Prisma.PhoneNumberUpdateInput,
  | 'callingForwardTo'
  | 'callingRecordingEnabled'
  | 'callingIconCountries'
  | 'callingMaxDurationSeconds'
  | 'callingForwardCallerId'
  | 'forwardSipUsername'
  | 'forwardSipPasswordSealed'
>;

/** Where the calling worker left a number (Meta's digest credentials sealed, or cleared). */
export interface CallingSettlement {
  callingStatus: CallingStatus;
  callingDetail: string | null;
  sipUsername?: string | null;
  sipPasswordSealed?: string | null;
}

export function callingStatusOf(number: Pick<PhoneNumber, 'callingStatus'>): CallingStatus {
  return isCallingStatus(number.callingStatus) ? number.callingStatus : 'disabled';
}

/**
 * WhatsApp calling settings on `phone_numbers`. The customer's wish (`calling_enabled`) and the
 * job that carries it out (`sync-whatsapp-calling`, through the outbox) are written together;
 * each wish bumps `calling_generation`, and the worker settles a number only for the generation
 * it read, so a slow job never overwrites a newer wish.
 */
@Injectable()
export class CallingSettingsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxRepository,
  ) {}

  async findForAccount(accountId: string, numberId: string, tx?: PrismaTx): Promise<CallingNumber | null> {
    const number = await (tx ?? this.prisma).phoneNumber.findFirst({ where: { id: numberId, accountId } });
    if (!number) return null;
    const country = await (tx ?? this.prisma).country.findUnique({ where: { code: number.country }, select: { outboundCallingAvailable: true } });
    return { ...number, outboundCallingAvailable: country?.outboundCallingAvailable ?? false };
  }

  find(numberId: string): Promise<PhoneNumber | null> {
    return this.prisma.phoneNumber.findUnique({ where: { id: numberId } });
  }

  /**
   * The customer turns calling on or off (with settings): one transaction writes the wish, the
   * status it shows meanwhile, a new generation (when the wish changed) and the job. Turning it on
   * again while enabled only changes settings, and asks nothing of the providers.
   */
  async request(numberId: string, wanted: boolean, patch: CallingSettingsPatch): Promise<PhoneNumber> {
    return this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ calling_status: string }[]>`SELECT calling_status FROM phone_numbers WHERE id = ${numberId} FOR UPDATE`;
      if (!current) throw new Error(`number ${numberId} vanished`);
      const from = callingStatusOf({ callingStatus: current.calling_status });
      const to = requestedCallingStatus(wanted, from);
      const number = await tx.phoneNumber.update({
        where: { id: numberId },
        data: {
          ...patch,
          callingEnabled: wanted,
          callingStatus: to,
          ...(to !== from ? { callingDetail: null, callingGeneration: { increment: 1 } } : {}),
        },
      });
      // Asked again while still on the way: another job is harmless (it converges) and revives a lost one.
      if (to === 'enabling' || to === 'disabling') await this.outbox.add(tx, [jobRequest('sync-whatsapp-calling', { numberId })]);
      return number;
    });
  }

  /** Settings only (PATCH): nothing for the providers. */
  update(numberId: string, patch: CallingSettingsPatch): Promise<PhoneNumber> {
    return this.prisma.phoneNumber.update({ where: { id: numberId }, data: patch });
  }

  /** Records where the providers are now, if the wish is still the one the worker acted on. */
  async settle(numberId: string, generation: number, settlement: CallingSettlement): Promise<boolean> {
    const { count } = await this.prisma.phoneNumber.updateMany({ where: { id: numberId, callingGeneration: generation }, data: settlement });
    return count === 1;
  }
}
