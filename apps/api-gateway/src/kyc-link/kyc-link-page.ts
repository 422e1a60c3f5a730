import { Injectable } from '@nestjs/common';
import { DomainError, isKycPageLanguage, translateKycRequirements, type KycIssue, type KycPageLanguage } from '@numbers/domain';
import { KycLinkRepository, type KycLink } from '@numbers/persistence';
import { STATUS_OF_KIND } from '../http/api-error';
import { KycCountries } from '../kyc/kyc-country';
import { SubmitKycUseCase } from '../kyc/submit-kyc.use-case';
import { errorsByControl, readKycLinkForm, type KycLinkAnswers } from './kyc-link-form';
import { hashKycLinkToken, isKycLinkToken } from './kyc-link-token';
import { renderKycForm, renderKycMessage, type KycPageBranding } from './kyc-link-page.template';

/** What the page answers: HTML with a status, or a redirect. */
export type KycPageAnswer = { kind: 'html'; status: number; html: string } | { kind: 'redirect'; location: string };

export interface KycPageRequest {
  token: unknown;
  /** `?lang=`, which wins over the link's language. */
  lang: unknown;
  acceptLanguage: string | undefined;
}

/**
 * The end customer's language: `?lang=`, else the link's, else the browser's first language the
 * page speaks (Accept-Language, by weight), else English.
 */
export function pageLanguage(request: KycPageRequest, linkLanguage: string | null): KycPageLanguage {
  if (isKycPageLanguage(request.lang)) return request.lang;
  if (isKycPageLanguage(linkLanguage)) return linkLanguage;
  const wanted = (request.acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of wanted) {
    if (tag === 'pt' || tag.startsWith('pt-')) return 'pt-BR';
    if (tag === 'es' || tag.startsWith('es-')) return 'es';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

const NO_BRANDING: KycPageBranding = { companyName: null, logoUrl: null, brandColor: null };

type Opened = { kind: 'open'; link: KycLink; language: KycPageLanguage } | { kind: 'closed'; answer: KycPageAnswer };

/**
 * The hosted KYC page of a link (`POST /v1/whatsapp/phone-numbers/kyc/share`): its token opens
 * this country's form for one submission before it expires, and nothing else. The submission
 * is the API's own (`SubmitKycUseCase`: the same rules, the same purchase, `submissionId`
 * `kyc-link-<link id>`), and the link's use is recorded in its transaction. A refusal shows the
 * form again with each error next to its control and the typed values kept.
 */
@Injectable()
export class KycLinkPage {
  constructor(
    private readonly links: KycLinkRepository,
    private readonly countries: KycCountries,
    private readonly submitKyc: SubmitKycUseCase,
  ) {}

  async show(request: KycPageRequest, now: Date = new Date()): Promise<KycPageAnswer> {
    const opened = await this.open(request, now);
    if (opened.kind === 'closed') return opened.answer;
    return this.form(opened.link, opened.language, request.token as string, {}, {}, 200);
  }

  async submit(request: KycPageRequest, form: FormData, requestId: string, now: Date = new Date()): Promise<KycPageAnswer> {
    const opened = await this.open(request, now);
    if (opened.kind === 'closed') return opened.answer;
    const { link, language } = opened;
    const kyc = await this.countries.resolve(link.country);
    const answers = await readKycLinkForm(form, kyc.requirements, link.country);
    try {
      await this.submitKyc.execute(
        {
          accountId: link.accountId,
          profileId: link.profileId,
          country: link.country,
          submissionId: `kyc-link-${link.id}`,
          // One number per link, asked for by the customer who made it: not an accidental repeat.
          allowMultiple: true,
          values: answers.values,
          documents: answers.documents,
          address: answers.address,
          endUserFirstName: answers.endUserFirstName,
          endUserLastName: answers.endUserLastName,
          requestId,
        },
        now,
        async (tx, numberId) => {
          if (!(await this.links.markSubmitted(tx, link.id, numberId, now))) throw new LinkUsedMeanwhile();
        },
      );
    } catch (error) {
      return this.refusal(error, link, language, request.token as string, answers);
    }
    if (link.redirectUrl) {
      const target = new URL(link.redirectUrl);
      target.searchParams.set('kyc', 'submitted');
      target.searchParams.set('country', link.country);
      return { kind: 'redirect', location: target.toString() };
    }
    return { kind: 'html', status: 200, html: renderKycMessage({ language, branding: link.branding, message: 'submitted' }) };
  }

  /** The page a request gets without its body being read: a link that is not open (unknown, used, expired); null when it is. */
  async closed(request: KycPageRequest, now: Date = new Date()): Promise<KycPageAnswer | null> {
    const opened = await this.open(request, now);
    return opened.kind === 'closed' ? opened.answer : null;
  }

  private async open(request: KycPageRequest, now: Date): Promise<Opened> {
    const link = isKycLinkToken(request.token) ? await this.links.findByTokenHash(hashKycLinkToken(request.token)) : null;
    const language = pageLanguage(request, link?.language ?? null);
    const closed = (status: number, message: 'notFound' | 'used' | 'expired', branding = NO_BRANDING): Opened => ({
      kind: 'closed',
      answer: { kind: 'html', status, html: renderKycMessage({ language, branding, message }) },
    });
    if (!link) return closed(404, 'notFound');
    if (link.submittedAt) return closed(410, 'used', link.branding);
    if (link.expiresAt.getTime() <= now.getTime()) return closed(410, 'expired', link.branding);
    return { kind: 'open', link, language };
  }

  private async form(link: KycLink, language: KycPageLanguage, token: string, values: Record<string, string>, errors: Record<string, string>, status: number): Promise<KycPageAnswer> {
    const kyc = await this.countries.resolve(link.country);
    const fields = translateKycRequirements(kyc.country.kycRequirements, kyc.requirements, language);
    return { kind: 'html', status, html: renderKycForm({ language, token, country: link.country, fields, branding: link.branding, values, errors }) };
  }

  private async refusal(error: unknown, link: KycLink, language: KycPageLanguage, token: string, answers: KycLinkAnswers): Promise<KycPageAnswer> {
    if (error instanceof LinkUsedMeanwhile) return { kind: 'html', status: 410, html: renderKycMessage({ language, branding: link.branding, message: 'used' }) };
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'VALIDATION_FAILED') {
      const listed = (error.extra.details as { issues?: KycIssue[] } | undefined)?.issues;
      const issues = listed ?? [{ param: error.extra.param ?? 'form', message: error.message }];
      return this.form(link, language, token, answers.kept, errorsByControl(issues, answers), 400);
    }
    // Not the end customer's to fix (the customer's plan, stock, payments): said plainly, nothing was bought.
    return { kind: 'html', status: STATUS_OF_KIND[error.kind], html: renderKycMessage({ language, branding: link.branding, message: 'refused', detail: error.message }) };
  }
}

/** A concurrent submission of the same link won: this one's purchase is rolled back. */
class LinkUsedMeanwhile extends Error {}
