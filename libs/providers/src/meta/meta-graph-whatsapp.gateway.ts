import type { AppConfig } from '@numbers/config';
import type {
  AddPhoneNumberInput,
  WhatsAppCallingSettings,
  WhatsAppBusinessAccountInfo,
  WhatsAppCallPermissions,
  WhatsAppGateway,
  WhatsAppNumberInfo,
  WhatsAppPhoneNumber,
} from '../ports/whatsapp.gateway';
import { keepAliveFetch } from '../http/keep-alive-fetch';
import { ProviderError } from '../provider-error';
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
  status?: string;
}

interface GraphNumberInfo {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  name_status?: string;
  quality_rating?: string;
  messaging_limit_tier?: string;
  throughput?: { level?: string };
  status?: string;
  is_official_business_account?: boolean;
  platform_type?: string;
  health_status?: Record<string, unknown>;
}

interface GraphBusinessAccount {
  id: string;
  name?: string;
  business_verification_status?: string;
  timezone_id?: string | number;
  health_status?: Record<string, unknown>;
}

const NUMBER_INFO_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'name_status',
  'quality_rating',
  'messaging_limit_tier',
  'throughput',
  'status',
  'is_official_business_account',
  'platform_type',
  'health_status',
].join(',');
const BUSINESS_ACCOUNT_FIELDS = 'id,name,business_verification_status,timezone_id,health_status';

interface GraphSettings {
  calling?: { status?: string; sip?: { status?: string; servers?: { hostname?: string; port?: number; sip_user_password?: string }[] } };
}

interface GraphCallPermissions {
  permission?: { status?: string; expiration_time?: number };
  actions?: { action_name?: string; can_perform_action?: boolean; limits?: { time_period?: string; max_allowed?: number; current_usage?: number }[] }[];
}

/** Graph's "Request code error" (136024): with details saying so, the number is verified already. */
const REQUEST_CODE_ERROR = '136024';

/**
 * `WhatsAppGateway` over Meta's Graph API with `keepAliveFetch`, at
 * `${META_GRAPH_BASE_URL}/${META_API_VERSION}/…`. No retries here: callers (BullMQ jobs) retry
 * on a retryable `ProviderError`.
 */
export class MetaGraphWhatsAppGateway implements WhatsAppGateway {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: Pick<AppConfig['meta'], 'graphBaseUrl' | 'apiVersion' | 'accessToken'> & { wabaId?: string },
    tuning: MetaGraphTuning = {},
  ) {
    this.baseUrl = `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;
    this.timeoutMs = tuning.timeoutMs ?? 30_000;
  }

  async getPhoneNumber(metaPhoneNumberId: string): Promise<WhatsAppPhoneNumber> {
    const fields = 'id,display_phone_number,verified_name,code_verification_status,platform_type,status';
    const body = await this.request<GraphPhoneNumber>('GET', `${encodeURIComponent(metaPhoneNumberId)}?fields=${fields}`, 'phoneNumbers.get');
    return {
      id: body.id,
      displayPhoneNumber: body.display_phone_number ?? '',
      verifiedName: body.verified_name ?? null,
      codeVerificationStatus: body.code_verification_status ?? null,
      platformType: body.platform_type ?? null,
      status: body.status ?? null,
    };
  }

  async getNumberInfo(metaPhoneNumberId: string): Promise<WhatsAppNumberInfo> {
    const body = await this.request<GraphNumberInfo>('GET', `${encodeURIComponent(metaPhoneNumberId)}?fields=${NUMBER_INFO_FIELDS}`, 'phoneNumbers.getInfo');
    return {
      id: body.id,
      displayPhoneNumber: body.display_phone_number ?? null,
      verifiedName: body.verified_name ?? null,
      nameStatus: body.name_status ?? null,
      qualityRating: body.quality_rating ?? null,
      messagingLimitTier: body.messaging_limit_tier ?? null,
      throughputLevel: body.throughput?.level ?? null,
      status: body.status ?? null,
      isOfficialBusinessAccount: typeof body.is_official_business_account === 'boolean' ? body.is_official_business_account : null,
      platformType: body.platform_type ?? null,
      healthStatus: body.health_status ?? null,
    };
  }

  async getBusinessAccount(wabaId = this.settings.wabaId): Promise<WhatsAppBusinessAccountInfo> {
    if (!wabaId) throw new Error('getBusinessAccount needs a wabaId (or META_WABA_ID)');
    const body = await this.request<GraphBusinessAccount>('GET', `${encodeURIComponent(wabaId)}?fields=${BUSINESS_ACCOUNT_FIELDS}`, 'businessAccounts.get');
    return {
      id: body.id,
      name: body.name ?? null,
      businessVerificationStatus: body.business_verification_status ?? null,
      timezoneId: body.timezone_id === undefined ? null : String(body.timezone_id),
      healthStatus: body.health_status ?? null,
    };
  }

  async addPhoneNumber(input: AddPhoneNumberInput): Promise<{ metaPhoneNumberId: string }> {
    const wabaId = input.wabaId ?? this.settings.wabaId;
    if (!wabaId) throw new Error('addPhoneNumber needs a wabaId (or META_WABA_ID)');
    const cc = input.countryCode.replace(/\D/g, '');
    const digits = input.phoneNumber.replace(/\D/g, '');
    const national = input.phoneNumber.trim().startsWith('+') && digits.startsWith(cc) ? digits.slice(cc.length) : digits;
    const body = await this.request<{ id?: string }>('POST', `${encodeURIComponent(wabaId)}/phone_numbers`, 'phoneNumbers.create', {
      cc,
      phone_number: national,
      verified_name: input.verifiedName,
    });
    if (typeof body.id !== 'string') throw fromGraphResponse(200, body, 'phoneNumbers.create');
    return { metaPhoneNumberId: body.id };
  }

  async requestCode(metaPhoneNumberId: string, options: { language?: string } = {}): Promise<{ status: 'sent' | 'already_verified' }> {
    try {
      await this.success(`${encodeURIComponent(metaPhoneNumberId)}/request_code`, 'phoneNumbers.requestCode', {
        code_method: 'SMS',
        language: options.language ?? 'en_US',
      });
      return { status: 'sent' };
    } catch (error) {
      if (error instanceof ProviderError && error.code === REQUEST_CODE_ERROR && /already verified/i.test(error.detail ?? '')) {
        return { status: 'already_verified' };
      }
      throw error;
    }
  }

  async verifyCode(metaPhoneNumberId: string, code: string): Promise<void> {
    await this.success(`${encodeURIComponent(metaPhoneNumberId)}/verify_code`, 'phoneNumbers.verifyCode', { code: code.replace(/[\s-]/g, '') });
  }

  async register(metaPhoneNumberId: string, pin: string): Promise<void> {
    await this.success(`${encodeURIComponent(metaPhoneNumberId)}/register`, 'phoneNumbers.register', { messaging_product: 'whatsapp', pin });
  }

  async setTwoStepPin(metaPhoneNumberId: string, pin: string): Promise<void> {
    await this.success(encodeURIComponent(metaPhoneNumberId), 'phoneNumbers.setTwoStepPin', { pin });
  }

  async deregister(metaPhoneNumberId: string): Promise<void> {
    await this.success(`${encodeURIComponent(metaPhoneNumberId)}/deregister`, 'phoneNumbers.deregister');
  }

  async updateCallingSettings(metaPhoneNumberId: string, settings: WhatsAppCallingSettings): Promise<void> {
    if (settings.enabled && !settings.sipServer) throw new Error('updateCallingSettings needs a sipServer to enable calling');
    const status = settings.enabled ? 'ENABLED' : 'DISABLED';
    const sip = settings.enabled && settings.sipServer
      ? { status: 'ENABLED', servers: [{ hostname: settings.sipServer.hostname, port: settings.sipServer.port }] }
      : { status: 'DISABLED' };
    await this.success(`${encodeURIComponent(metaPhoneNumberId)}/settings`, 'settings.update', {
      calling: { status, call_icon_visibility: 'DEFAULT', sip },
    });
  }

  async getSipPassword(metaPhoneNumberId: string): Promise<string | null> {
    const body = await this.request<GraphSettings>('GET', `${encodeURIComponent(metaPhoneNumberId)}/settings?include_sip_credentials=true`, 'settings.get');
    const sip = body.calling?.sip;
    if (sip?.status !== 'ENABLED') return null;
    return sip.servers?.find((server) => typeof server.sip_user_password === 'string')?.sip_user_password ?? null;
  }

  async sendCallPermissionRequest(metaPhoneNumberId: string, input: { to: string; bodyText?: string | null }): Promise<{ messageId: string }> {
    const body = await this.request<{ messages?: { id?: string }[] }>('POST', `${encodeURIComponent(metaPhoneNumberId)}/messages`, 'messages.callPermissionRequest', {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: input.to.replace(/^\+/, ''),
      type: 'interactive',
      interactive: {
        type: 'call_permission_request',
        action: { name: 'call_permission_request' },
        ...(input.bodyText ? { body: { text: input.bodyText } } : {}),
      },
    });
    const messageId = body.messages?.[0]?.id;
    if (typeof messageId !== 'string') throw fromGraphResponse(200, body, 'messages.callPermissionRequest');
    return { messageId };
  }

  async getCallPermissions(metaPhoneNumberId: string, consumer: string): Promise<WhatsAppCallPermissions> {
    const waId = encodeURIComponent(consumer.replace(/^\+/, ''));
    const body = await this.request<GraphCallPermissions>('GET', `${encodeURIComponent(metaPhoneNumberId)}/call_permissions?user_wa_id=${waId}`, 'callPermissions.get');
    return {
      permission: { status: body.permission?.status ?? 'no_permission', expirationTime: body.permission?.expiration_time ?? null },
      actions: (body.actions ?? []).map((action) => ({
        actionName: String(action.action_name),
        canPerformAction: action.can_perform_action === true,
        limits: (action.limits ?? []).map((limit) => ({
          timePeriod: String(limit.time_period),
          maxAllowed: Number(limit.max_allowed ?? 0),
          currentUsage: Number(limit.current_usage ?? 0),
        })),
      })),
    };
  }

  /** A POST that Graph answers `{success: true}`. */
  private async success(path: string, operation: string, body?: Record<string, unknown>): Promise<void> {
    const answer = await this.request<{ success?: boolean }>('POST', path, operation, body);
    if (answer.success !== true) throw fromGraphResponse(200, answer, operation);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, operation: string, body?: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await keepAliveFetch(`${this.baseUrl}/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.accessToken}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw fromGraphNetworkFailure(error, operation);
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (!response.ok) throw fromGraphResponse(response.status, parsed, operation);
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
