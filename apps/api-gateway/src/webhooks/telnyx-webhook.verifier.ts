import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { TELNYX_CLIENT } from '@numbers/providers';
import type Telnyx from 'telnyx';
import { singleHeader, WebhookRejected, type WebhookVerifier } from './webhook-verifier';

const SIGNATURE = 'telnyx-signature-ed25519';
const TIMESTAMP = 'telnyx-timestamp';

/**
 * Ed25519 over `timestamp|body` (`telnyx-signature-ed25519`, `telnyx-timestamp` within ±300 s),
 * checked by the SDK's own `telnyx.webhooks.unwrap` with `TELNYX_PUBLIC_KEY`.
 */
@Injectable()
export class TelnyxWebhookVerifier implements WebhookVerifier {
  readonly provider = 'telnyx' as const;

  constructor(
    @Inject(TELNYX_CLIENT) private readonly telnyx: Telnyx,
    private readonly config: AppConfig,
  ) {}

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const signature = singleHeader(headers, SIGNATURE);
    const timestamp = singleHeader(headers, TIMESTAMP);
    if (!signature || !timestamp) throw new WebhookRejected('INVALID_SIGNATURE', `no ${SIGNATURE} or ${TIMESTAMP} header`);
    try {
      return await this.telnyx.webhooks.unwrap(rawBody.toString('utf8'), {
        headers: { [SIGNATURE]: signature, [TIMESTAMP]: timestamp },
        key: this.config.telnyx.publicKey,
      });
    } catch (error) {
      // unwrap verifies, then parses: only the parse throws a SyntaxError.
      if (error instanceof SyntaxError) throw new WebhookRejected('INVALID_PAYLOAD', 'body is not JSON');
      throw new WebhookRejected('INVALID_SIGNATURE', error instanceof Error ? error.message : String(error));
    }
  }
}
