import { Injectable } from '@nestjs/common';
import { notFound } from '@numbers/domain';
import { PhoneNumberReadRepository } from '@numbers/persistence';
import { type PhoneNumberView, presentPhoneNumber } from './phone-number.presenter';

/** One number of the caller's account; another account's number is not found (never 403). */
@Injectable()
export class GetPhoneNumberQuery {
  constructor(private readonly numbers: PhoneNumberReadRepository) {}

  async execute(input: { accountId: string; phoneNumberId: string }): Promise<{ phoneNumber: PhoneNumberView }> {
    const row = await this.numbers.findForAccount(input.accountId, input.phoneNumberId);
    if (!row) throw notFound('Phone number');
    return { phoneNumber: presentPhoneNumber(row) };
  }
}
