import { Injectable } from '@nestjs/common';
import { apiKeyMatches, parseApiKey } from '@numbers/domain';
import { ApiKeyRepository } from '@numbers/persistence';
import type { AuthenticatedAccount } from './authenticated-request';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Turns an `Authorization` header into the calling account, or null for a missing, malformed,
 * revoked or unknown key (the caller answers all four the same way).
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(private readonly apiKeys: ApiKeyRepository) {}

  async authenticate(authorization: string | string[] | undefined): Promise<AuthenticatedAccount | null> {
    if (typeof authorization !== 'string') return null;
    const token = BEARER.exec(authorization)?.[1];
    const prefix = parseApiKey(token);
    if (!token || !prefix) return null;
    const key = await this.apiKeys.findActiveByPrefix(prefix);
    if (!key || !apiKeyMatches(token, key.keyHash)) return null;
    // At most one write per key per minute, whatever the request rate.
    await this.apiKeys.recordUse(key);
    return { accountId: key.accountId, apiKeyId: key.id };
  }
}
