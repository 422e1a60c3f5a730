import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@numbers/domain';
import { NumberLifecycle, PhoneNumberReadRepository } from '@numbers/persistence';

export interface ReleasePhoneNumberCommand {
  accountId: string;
  phoneNumberId: string;
  /** The request that asked: the cause recorded in the number's history. */
  requestId: string;
}

export interface ReleasePhoneNumberResult {
  message: string;
  phoneNumber: { id: string; phoneNumber: string | null; status: 'releasing'; releasedAt: null };
}

const alreadyReleased = () => new DomainError('NUMBER_RELEASED', 'Phone number is already released');

/**
 * Asks for a number's release: applies `release_requested` through the lifecycle (which writes
 * the history and the outbox rows for the workers) and answers at once with `releasing`. A
 * repeated request while releasing answers the same; a released number is a conflict.
 */
@Injectable()
export class ReleasePhoneNumberUseCase {
  constructor(
    private readonly numbers: PhoneNumberReadRepository,
    private readonly lifecycle: NumberLifecycle,
  ) {}

  async execute(command: ReleasePhoneNumberCommand): Promise<ReleasePhoneNumberResult> {
    const number = await this.numbers.findForAccount(command.accountId, command.phoneNumberId);
    if (!number) throw notFound('Phone number');
    if (number.status === 'released') throw alreadyReleased();

    const result = await this.lifecycle.apply(command.phoneNumberId, 'release_requested', {
      cause: command.requestId,
      actor: 'customer',
    });
    // The number may have ended between the read and the transition (a late checkout expiry).
    if (result.number.status !== 'releasing') throw alreadyReleased();
    return {
      message: 'Phone number release started',
      phoneNumber: { id: number.id, phoneNumber: result.number.phoneNumber, status: 'releasing', releasedAt: null },
    };
  }
}
