import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, notFound } from '@numbers/domain';
import { PhoneNumberRecords } from '@numbers/persistence';
import { ProviderError, WHATSAPP_GATEWAY, type WhatsAppBusinessAccountInfo, type WhatsAppGateway, type WhatsAppNumberInfo } from '@numbers/providers';

/** The SDK's `GetWhatsAppNumberInfoResponse`: Meta's own field names. */
export interface NumberInfoView {
  phone: {
    display_phone_number: string | null;
    verified_name: string | null;
    name_status: string | null;
    quality_rating: string | null;
    messaging_limit_tier: string | null;
    throughput: { level: string } | null;
    status: string | null;
    is_official_business_account: boolean | null;
    platform_type: string | null;
    health_status: Record<string, unknown> | null;
  };
  waba: { name: string | null; business_verification_status: string | null; timezone_id: string | null; health_status: Record<string, unknown> | null } | null;
}

/**
 * How long Meta's answer is reused, per number and gateway process: a dashboard polling the
 * number does not turn into Graph calls (Graph rate-limits per app), and quality or limit changes
 * show within half a minute.
 */
export const NUMBER_INFO_CACHE_MS = 30_000;
/** At most this many numbers' answers are held; the oldest goes first. */
const CACHE_ENTRIES = 5_000;

/**
 * `GET /v1/whatsapp/number-info?accountId=`: the number's live state at Meta, read from the Graph
 * API (the phone number and the WhatsApp Business Account numbers are added to), kept
 * `NUMBER_INFO_CACHE_MS`. `accountId` is the number's record id; another account's is a 404.
 */
@Injectable()
export class NumberInfoQuery {
  private readonly logger = new Logger('NumberInfoQuery');
  private readonly cache = new Map<string, { at: number; view: NumberInfoView }>();

  constructor(
    private readonly numbers: PhoneNumberRecords,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
  ) {}

  async execute(accountId: string, numberId: string, requestId: string, now = Date.now()): Promise<NumberInfoView> {
    const number = await this.numbers.byId(numberId);
    if (!number || number.accountId !== accountId) throw notFound('Phone number');
    if (!number.metaPhoneNumberId) throw new DomainError('WHATSAPP_NOT_REGISTERED', `This number is not on WhatsApp yet (it is ${number.status})`);
    const cached = this.cache.get(number.id);
    if (cached && now - cached.at < NUMBER_INFO_CACHE_MS) return cached.view;
    const view = await this.read(number.metaPhoneNumberId, requestId);
    this.remember(number.id, now, view);
    return view;
  }

  private async read(metaPhoneNumberId: string, requestId: string): Promise<NumberInfoView> {
    try {
      const [phone, waba] = await Promise.all([this.whatsapp.getNumberInfo(metaPhoneNumberId), this.businessAccount(requestId)]);
      return { phone: phoneView(phone), waba: waba && wabaView(waba) };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.error({ reqId: requestId, err: error }, 'Meta number info read failed');
      throw new DomainError('META_UNAVAILABLE', 'WhatsApp (Meta) did not answer; retry shortly');
    }
  }

  /** The business account, or null when Meta refuses it (a permission it does not give): the number's own state still answers. */
  private async businessAccount(requestId: string): Promise<WhatsAppBusinessAccountInfo | null> {
    try {
      return await this.whatsapp.getBusinessAccount();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      this.logger.warn({ reqId: requestId, err: error }, 'Meta refused the business account read');
      return null;
    }
  }

  private remember(numberId: string, at: number, view: NumberInfoView): void {
    this.cache.delete(numberId);
    this.cache.set(numberId, { at, view });
    // A Map iterates in insertion order: the first key is the oldest answer.
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }
}

function phoneView(info: WhatsAppNumberInfo): NumberInfoView['phone'] {
  return {
    display_phone_number: info.displayPhoneNumber,
    verified_name: info.verifiedName,
    name_status: info.nameStatus,
    quality_rating: info.qualityRating,
    messaging_limit_tier: info.messagingLimitTier,
    throughput: info.throughputLevel ? { level: info.throughputLevel } : null,
    status: info.status,
    is_official_business_account: info.isOfficialBusinessAccount,
    platform_type: info.platformType,
    health_status: info.healthStatus,
  };
}

function wabaView(info: WhatsAppBusinessAccountInfo): NonNullable<NumberInfoView['waba']> {
  return { name: info.name, business_verification_status: info.businessVerificationStatus, timezone_id: info.timezoneId, health_status: info.healthStatus };
}
