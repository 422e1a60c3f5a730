import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { invalidParam } from '@numbers/domain';
import { KycLinkRepository } from '@numbers/persistence';
import { KycCountries } from '../kyc/kyc-country';
import { NumberPurchase } from '../purchase/number-purchase';
import { newKycLinkToken } from './kyc-link-token';
import type { CreateKycLinkBody } from './kyc-link.params';

/** How long a link opens its page: long enough for an end customer to gather their documents. */
export const KYC_LINK_TTL_MS = 7 * 24 * 60 * 60_000;

/** The public path of the hosted page; the token rides in the query, whose values are never logged. */
export const KYC_LINK_PAGE_PATH = '/kyc-link';

export interface CreateKycLinkCommand extends CreateKycLinkBody {
  accountId: string;
}

/**
 * `POST /v1/whatsapp/phone-numbers/kyc/share`: a hosted KYC page for one number of a country
 * that needs identity review, for the customer's own end customer, who has no API key. The
 * answer's token is the page's only key: it is stored as its hash, opens only this page (the
 * form and its one submission) and expires after KYC_LINK_TTL_MS. The country and profile are
 * checked now as a submission would check them (400 `country`, 404 for another account's
 * profile), so a link never leads to a form that cannot be sent.
 */
@Injectable()
export class CreateKycLinkUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly countries: KycCountries,
    private readonly purchase: NumberPurchase,
    private readonly links: KycLinkRepository,
  ) {}

  async execute(command: CreateKycLinkCommand, now: Date = new Date()): Promise<{ url: string; token: string; expiresAt: string }> {
    // As on the submission itself (POST .../kyc): the carrier cannot be asked for an area yet.
    if (command.areaCode !== undefined) throw invalidParam('areaCode', 'Invalid areaCode: regulated numbers cannot be ordered by area yet, omit it');
    const { country } = await this.countries.resolve(command.country);
    await this.purchase.checkProfile(command.accountId, command.profileId);
    const { token, hash } = newKycLinkToken();
    const expiresAt = new Date(now.getTime() + KYC_LINK_TTL_MS);
    await this.links.create({
      accountId: command.accountId,
      profileId: command.profileId,
      country: country.code,
      language: command.language ?? null,
      branding: {
        companyName: command.branding?.companyName ?? null,
        logoUrl: command.branding?.logoUrl ?? null,
        brandColor: command.branding?.brandColor ?? null,
      },
      redirectUrl: command.redirect_url ?? null,
      tokenHash: hash,
      expiresAt,
      now,
    });
    const url = `${this.config.gateway.publicBaseUrl.replace(/\/$/, '')}${KYC_LINK_PAGE_PATH}?${new URLSearchParams({ token })}`;
    return { url, token, expiresAt: expiresAt.toISOString() };
  }
}
