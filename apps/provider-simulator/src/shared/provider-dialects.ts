import { metaDialect } from '../meta/meta.dialect';
import { stripeDialect } from '../stripe/stripe.dialect';
import { telnyxDialect } from '../telnyx/telnyx.dialect';
import type { ProviderDialect } from './provider-dialect';
import type { ProviderName } from './provider-name';

export const PROVIDER_DIALECTS: Record<ProviderName, ProviderDialect> = {
  stripe: stripeDialect,
  telnyx: telnyxDialect,
  meta: metaDialect,
};

/** The provider whose API a URL belongs to; null for `/_sim`, `/health` and anything else. */
export function providerOfUrl(url: string): ProviderName | null {
  const path = url.split('?')[0];
  for (const dialect of Object.values(PROVIDER_DIALECTS)) {
    if (path === dialect.prefix || path.startsWith(`${dialect.prefix}/`)) return dialect.provider;
  }
  return null;
}
