import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { DomainError } from '@numbers/domain';

/**
 * Meta's subscription handshake (`GET /webhooks/meta?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
 * Meta proves nothing here, we prove we asked for the subscription by knowing META_VERIFY_TOKEN.
 */
@Injectable()
export class MetaWebhookHandshake {
  constructor(private readonly config: AppConfig) {}

  /** The challenge to echo when the token is ours, else 403. */
  challengeFor(query: Record<string, unknown>): string {
    const expected = this.config.meta.verifyToken;
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    const tokenMatches = expected !== null && typeof token === 'string' && sameSecret(token, expected);
    if (query['hub.mode'] !== 'subscribe' || !tokenMatches || typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 256) {
      throw new DomainError('INVALID_VERIFY_TOKEN', 'Webhook verification refused');
    }
    return challenge;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
