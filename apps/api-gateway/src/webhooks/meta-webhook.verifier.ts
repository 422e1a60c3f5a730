import type { IncomingHttpHeaders } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { DomainError } from '@numbers/domain';
import { parseJson, singleHeader, WebhookRejected, type WebhookVerifier } from './webhook-verifier';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body with META_APP_SECRET>`, compared in
 * constant time. Meta signs no timestamp: a replay is caught by the event ids, not here.
 */
@Injectable()
export class MetaWebhookVerifier implements WebhookVerifier {
  readonly provider = 'meta' as const;

  constructor(private readonly config: AppConfig) {}

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const header = singleHeader(headers, 'x-hub-signature-256');
    const hex = header ? SIGNATURE.exec(header)?.[1] : undefined;
    if (!hex) throw new WebhookRejected('INVALID_SIGNATURE', 'no X-Hub-Signature-256: sha256=<hex> header');
    const expected = createHmac('sha256', this.config.meta.appSecret).update(rawBody).digest();
    if (!timingSafeEqual(Buffer.from(hex, 'hex'), expected)) {
      throw new WebhookRejected('INVALID_SIGNATURE', 'X-Hub-Signature-256 does not match the body');
    }
    return parseJson(rawBody);
  }

  /**
   * The subscription handshake (`GET /webhooks/meta?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
   * the challenge to echo when the token is ours, else 403.
   */
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
