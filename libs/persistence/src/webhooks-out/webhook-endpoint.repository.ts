import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { WebhookEndpoint } from '../database/rows';

export interface NewWebhookEndpoint {
  id: string;
  accountId: string;
  name: string;
  url: string;
  secretSealed: string;
  events: string[];
  isActive: boolean;
  customHeaders: Record<string, string>;
}

/** What an update may change; undefined leaves a field as it is. */
export type WebhookEndpointPatch = Partial<Pick<NewWebhookEndpoint, 'name' | 'url' | 'secretSealed' | 'events' | 'isActive' | 'customHeaders'>>;

/**
 * Customers' webhook endpoints (`webhook_endpoints`): what the settings API manages and the
 * delivery worker reads. Every read and write names the account, so another account's endpoint
 * is simply not found.
 */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly db: Database) {}

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.db
      .insertInto('webhookEndpoints')
      .values({ ...endpoint, customHeaders: JSON.stringify(endpoint.customHeaders) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async listForAccount(accountId: string): Promise<WebhookEndpoint[]> {
    return this.db.selectFrom('webhookEndpoints').selectAll().where('accountId', '=', accountId).orderBy('createdAt').orderBy('id').execute();
  }

  async findForAccount(accountId: string, id: string, tx?: Tx): Promise<WebhookEndpoint | null> {
    return (await (tx ?? this.db).selectFrom('webhookEndpoints').selectAll().where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst()) ?? null;
  }

  async find(id: string, tx?: Tx): Promise<WebhookEndpoint | null> {
    return (await (tx ?? this.db).selectFrom('webhookEndpoints').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** The endpoint after the change, or null when the account has no such endpoint. Re-enabling clears the delivery rules' verdict. */
  async update(accountId: string, id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint | null> {
    const { customHeaders, ...rest } = patch;
    const row = await this.db
      .updateTable('webhookEndpoints')
      .set({
        ...rest,
        ...(customHeaders !== undefined ? { customHeaders: JSON.stringify(customHeaders) } : {}),
        ...(patch.isActive === true ? { disabledReason: null, failureCount: 0, failingSince: null } : {}),
        updatedAt: sql`now()`,
      })
      .where('id', '=', id)
      .where('accountId', '=', accountId)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Whether it existed. Its queued deliveries find it gone and send nothing. */
  async delete(accountId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhookEndpoints').where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
