import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { checkWebhookUrl, DomainError, generateWebhookSecret, invalidParam, newId } from '@numbers/domain';
import { WebhookEndpointRepository, WebhookSecretSealer, type WebhookEndpointPatch } from '@numbers/persistence';
import type { CreateWebhookBody, UpdateWebhookBody } from './customer-webhooks.params';
import { presentWebhook } from './webhook.presenter';

export const webhookNotFound = () => new DomainError('NOT_FOUND', 'Webhook not found', { param: 'webhookId' });

/** `/v1/webhooks/settings`: an account's endpoints. Secrets are sealed before they are stored and shown only on create. */
@Injectable()
export class WebhookSettingsService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly sealer: WebhookSecretSealer,
    private readonly config: AppConfig,
  ) {}

  async list(accountId: string) {
    return { webhooks: (await this.endpoints.listForAccount(accountId)).map((endpoint) => presentWebhook(endpoint)) };
  }

  async create(accountId: string, body: CreateWebhookBody) {
    this.checkUrl(body.url);
    const id = newId();
    const secret = body.secret ?? generateWebhookSecret();
    const endpoint = await this.endpoints.create({
      id,
      accountId,
      name: body.name,
      url: body.url,
      secretSealed: this.sealer.seal(secret, id),
      events: body.events,
      isActive: body.isActive ?? true,
      customHeaders: body.customHeaders ?? {},
    });
    return { success: true, webhook: presentWebhook(endpoint, secret) };
  }

  async update(accountId: string, { webhookId, patch }: UpdateWebhookBody) {
    if (patch.url !== undefined) this.checkUrl(patch.url);
    const { secret, ...rest } = patch;
    const changes: WebhookEndpointPatch = { ...rest, ...(secret !== undefined ? { secretSealed: this.sealer.seal(secret, webhookId) } : {}) };
    const endpoint = await this.endpoints.update(accountId, webhookId, changes);
    if (!endpoint) throw webhookNotFound();
    return { success: true, webhook: presentWebhook(endpoint) };
  }

  async delete(accountId: string, webhookId: string) {
    if (!(await this.endpoints.delete(accountId, webhookId))) throw webhookNotFound();
    return { success: true };
  }

  private checkUrl(url: string): void {
    const problem = checkWebhookUrl(url, { requireHttps: this.config.webhooks.requireHttps, allowLoopback: this.config.webhooks.allowLoopback });
    if (problem) throw invalidParam('url', problem);
  }
}
