import type { AppConfig } from '@numbers/config';
import type { WhatsAppGateway, WhatsAppPhoneNumber } from '../ports/whatsapp.gateway';
import { fromGraphNetworkFailure, fromGraphResponse } from './meta-error.mapper';

export interface MetaGraphTuning {
  timeoutMs?: number;
}

interface GraphPhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  code_verification_status?: string;
  platform_type?: string;
}

/**
 * `WhatsAppGateway` over Meta's Graph API with the global `fetch`, at
 * `${META_GRAPH_BASE_URL}/${META_API_VERSION}/…`. No retries here: callers (BullMQ jobs) retry
 * on a retryable `ProviderError`.
 */
export class MetaGraphWhatsAppGateway implements WhatsAppGateway {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: AppConfig['meta'],
    tuning: MetaGraphTuning = {},
  ) {
    this.baseUrl = `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;
    this.timeoutMs = tuning.timeoutMs ?? 30_000;
  }

  async getPhoneNumber(metaPhoneNumberId: string): Promise<WhatsAppPhoneNumber> {
    const fields = 'id,display_phone_number,verified_name,code_verification_status,platform_type';
    const body = await this.request<GraphPhoneNumber>('GET', `${encodeURIComponent(metaPhoneNumberId)}?fields=${fields}`, 'phoneNumbers.get');
    return {
      id: body.id,
      displayPhoneNumber: body.display_phone_number ?? '',
      verifiedName: body.verified_name ?? null,
      codeVerificationStatus: body.code_verification_status ?? null,
      platformType: body.platform_type ?? null,
    };
  }

  async deregister(metaPhoneNumberId: string): Promise<void> {
    const body = await this.request<{ success?: boolean }>('POST', `${encodeURIComponent(metaPhoneNumberId)}/deregister`, 'phoneNumbers.deregister');
    if (body.success !== true) throw fromGraphResponse(200, body, 'phoneNumbers.deregister');
  }

  private async request<T>(method: 'GET' | 'POST', path: string, operation: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/${path}`, {
        method,
        headers: { authorization: `Bearer ${this.settings.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw fromGraphNetworkFailure(error, operation);
    }
    const text = await response.text().catch(() => '');
    const body = parseJson(text);
    if (!response.ok) throw fromGraphResponse(response.status, body, operation);
    return body as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
