import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { listViewFor, type NumberStatus } from '@numbers/domain';
import { ConnectedNumberRepository, PhoneNumberReadRepository } from '@numbers/persistence';
import {
  type ConnectedNumberView,
  type PhoneNumberListItem,
  type SandboxView,
  presentConnected,
  presentListItem,
  presentSandbox,
} from './phone-number.presenter';

export interface ListPhoneNumbersInput {
  accountId: string;
  status?: NumberStatus;
  profileId?: string;
}

export interface ListPhoneNumbersResult {
  numbers: PhoneNumberListItem[];
  connected: ConnectedNumberView[];
  sandbox: SandboxView;
}

/**
 * SPEC "List semantics": which numbers a view shows comes from `listViewFor`; connected numbers
 * only on the views that include them; the sandbox on every view. One indexed query per part,
 * run side by side.
 */
@Injectable()
export class ListPhoneNumbersQuery {
  constructor(
    private readonly numbers: PhoneNumberReadRepository,
    private readonly connected: ConnectedNumberRepository,
    private readonly config: AppConfig,
  ) {}

  async execute(input: ListPhoneNumbersInput, now: Date = new Date()): Promise<ListPhoneNumbersResult> {
    const view = listViewFor(input.status, now);
    const [numbers, connected] = await Promise.all([
      this.numbers.list({
        accountId: input.accountId,
        statuses: view.statuses,
        declinedSince: view.declinedSince,
        profileId: input.profileId,
      }),
      view.includeConnected
        ? this.connected.listForAccount({ accountId: input.accountId, profileId: input.profileId })
        : Promise.resolve([]),
    ]);
    return {
      numbers: numbers.map(presentListItem),
      connected: connected.map(presentConnected),
      sandbox: presentSandbox(this.config.sandbox),
    };
  }
}
