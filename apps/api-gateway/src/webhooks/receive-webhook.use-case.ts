import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { readWebhookEvents, WebhookPayloadError, type WebhookEventRef, type WebhookProvider } from '@numbers/contracts';
import { AppMetrics } from '@numbers/messaging';
import { WebhookInbox } from '@numbers/persistence';
import { WEBHOOK_SIGNATURE_VERIFIER, WebhookSignatureError, type WebhookSignatureVerifier } from '@numbers/providers';
import { WebhookRejected } from './webhook-rejected.error';

export interface ReceiveWebhookCommand {
  provider: WebhookProvider;
  /** The bytes received, before any parsing (`req.rawBody`). */
  rawBody: Buffer | undefined;
  headers: IncomingHttpHeaders;
  requestId: string;
}

/**
 * A provider's webhook, received: the signature is checked on the raw bytes the provider's way
 * (`WebhookSignatureVerifier`), the events in it are read (`readWebhookEvents`: the id each is stored under), and
 * the new ones are stored with their processing job in one transaction (`WebhookInbox`). No
 * provider call and no business rule runs here: the owning worker processes the event.
 * Anything refused (400) stores nothing; a redelivery answers the same 200 and stores nothing.
 * Each event stored or found already stored, and each refused request, is counted by outcome.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  private readonly logger = new Logger(ReceiveWebhookUseCase.name);
  constructor(
    @Inject(WEBHOOK_SIGNATURE_VERIFIER) private readonly signatures: WebhookSignatureVerifier,
    private readonly inbox: WebhookInbox,
    private readonly metrics: AppMetrics,
  ) {}

  async execute(command: ReceiveWebhookCommand): Promise<{ received: true }> {
    const { provider, rawBody, requestId } = command;
    let events: WebhookEventRef[];
    try {
      if (!rawBody || rawBody.length === 0) throw new WebhookRejected('INVALID_PAYLOAD', 'empty body');
      const body = await this.verify(provider, rawBody, command.headers);
      events = readEvents(provider, body);
    } catch (error) {
      if (error instanceof WebhookRejected) {
        this.metrics.webhookReceived(provider, error.code === 'INVALID_SIGNATURE' ? 'invalid_signature' : 'invalid_payload');
        this.logger.warn({ reqId: requestId, provider, code: error.code, reason: error.reason }, 'webhook refused');
      }
      throw error;
    }

    const receipt = await this.inbox.record(provider, rawBody.toString('utf8'), events);
    this.metrics.webhookReceived(provider, 'stored', receipt.stored.length);
    this.metrics.webhookReceived(provider, 'duplicate', receipt.duplicates.length);
    this.logger.log(
      { reqId: requestId, provider, stored: receipt.stored.map((e) => `${e.eventType} ${e.eventId}`), duplicates: receipt.duplicates },
      'webhook received',
    );
    return { received: true };
  }

  private async verify(provider: WebhookProvider, rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    try {
      if (provider === 'stripe') return await this.signatures.verifyStripe(rawBody, headers);
      if (provider === 'telnyx') return await this.signatures.verifyTelnyx(rawBody, headers);
      return await this.signatures.verifyMeta(rawBody, headers);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        throw new WebhookRejected(error.problem === 'signature' ? 'INVALID_SIGNATURE' : 'INVALID_PAYLOAD', error.message);
      }
      throw error;
    }
  }
}

function readEvents(provider: WebhookProvider, body: unknown): WebhookEventRef[] {
  try {
    return readWebhookEvents(provider, body);
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw new WebhookRejected('INVALID_PAYLOAD', error.message);
    throw error;
  }
}
