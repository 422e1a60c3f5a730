import { Injectable } from '@nestjs/common';
import { DomainError, encodeCallCursor, notFound, permissionActions, type PermissionActions } from '@numbers/domain';
import { CallingSettingsRepository, CallPermissionRepository, CallRepository } from '@numbers/persistence';
import { presentCall, presentCallListItem } from './call.presenter';
import type { CallPermissionsQuery, ListCallsQuery } from './calling.params';

/** The call log and the consumer's permission, read for one of the caller's numbers. */
@Injectable()
export class CallLogQuery {
  constructor(
    private readonly numbers: CallingSettingsRepository,
    private readonly calls: CallRepository,
    private readonly permissions: CallPermissionRepository,
  ) {}

  /** Newest first; `nextCursor` is the last row's (created_at, id), null on the last page. */
  async list(accountId: string, query: ListCallsQuery) {
    await this.numberOf(accountId, query.accountId);
    const rows = await this.calls.list({
      numberId: query.accountId,
      status: query.status,
      direction: query.direction,
      since: query.since,
      until: query.until,
      before: query.before,
      limit: query.limit,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { calls: page.map(presentCallListItem), nextCursor: rows.length > query.limit && last ? encodeCallCursor(last.createdAt, last.id) : null };
  }

  async get(accountId: string, callId: string, numberId?: string) {
    const call = await this.calls.findForAccount(accountId, callId);
    if (!call || (numberId !== undefined && call.numberId !== numberId)) throw notFound('Call');
    return { call: presentCall(call) };
  }

  /** What Meta's call_permissions endpoint answers, from our record of the consumer. */
  async permissionsOf(accountId: string, query: CallPermissionsQuery): Promise<PermissionActions> {
    await this.numberOf(accountId, query.accountId);
    const now = new Date();
    const record = await this.permissions.find(query.accountId, query.to);
    const sent = await this.permissions.countedPromptTimes(query.accountId, query.to, now);
    return permissionActions(record, sent, now);
  }

  private async numberOf(accountId: string, numberId: string): Promise<void> {
    const number = await this.numbers.findForAccount(accountId, numberId);
    if (!number) throw new DomainError('NOT_FOUND', 'Phone number not found', { param: 'accountId' });
  }
}
