/** What a regulator can ask for: a typed value, a date, an address, a file, or an out-of-band check. */
export const KYC_FIELD_KINDS = ['text', 'date', 'address', 'file', 'action'] as const;
export type KycFieldKind = (typeof KYC_FIELD_KINDS)[number];

/**
 * One field of a country's KYC form, as `GET /v1/whatsapp/phone-numbers/kyc` shows it (the
 * `@zernio/node` type `GetWhatsAppNumberKycFormResponse.fields[]`).
 */
export interface KycRequirement {
  requirementId: string;
  label: string;
  kind: KycFieldKind;
  description: string | null;
  example: string | null;
  /** ISO country the value must be local to (addresses). */
  localTo: string | null;
  /** Set when the field applies to one kind of end user only. */
  audience: 'business' | 'individual' | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The fields a country asks for one number type, read from the stored `countries.kyc_requirements`
 * (`[{numberType, requirementId, label, kind, ...}]`). Entries that are not well formed are left
 * out rather than shown half.
 */
export function kycRequirementsFor(stored: unknown, numberType: string): KycRequirement[] {
  if (!Array.isArray(stored)) return [];
  const fields: KycRequirement[] = [];
  for (const entry of stored as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const row = entry as Record<string, unknown>;
    const requirementId = text(row['requirementId']);
    const label = text(row['label']);
    const kind = row['kind'];
    if (row['numberType'] !== numberType || !requirementId || !label) continue;
    if (!(KYC_FIELD_KINDS as readonly unknown[]).includes(kind)) continue;
    const audience = row['audience'] === 'business' || row['audience'] === 'individual' ? row['audience'] : null;
    fields.push({
      requirementId,
      label,
      kind: kind as KycFieldKind,
      description: text(row['description']),
      example: text(row['example']),
      localTo: text(row['localTo']),
      audience,
    });
  }
  return fields;
}

/** The number types a country's stored requirements name (a country may ask differently per type). */
export function kycNumberTypes(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const types = (stored as unknown[])
    .map((entry) => (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['numberType'] : undefined))
    .filter((type): type is string => typeof type === 'string');
  return [...new Set(types)];
}

/** The languages a hosted KYC page (`POST .../kyc/share`) speaks; English is the stored text. */
export const KYC_PAGE_LANGUAGES = ['en', 'es', 'pt-BR'] as const;
export type KycPageLanguage = (typeof KYC_PAGE_LANGUAGES)[number];

export function isKycPageLanguage(value: unknown): value is KycPageLanguage {
  return (KYC_PAGE_LANGUAGES as readonly unknown[]).includes(value);
}

/**
 * The fields in `language`: a stored requirement may carry `translations: {<language>: {label,
 * description}}` (reference data, translated once per country). A text with no translation
 * stays as stored, in English.
 */
export function translateKycRequirements(stored: unknown, fields: KycRequirement[], language: KycPageLanguage): KycRequirement[] {
  if (language === 'en' || !Array.isArray(stored)) return fields;
  const texts = new Map<string, Record<string, unknown>>();
  for (const entry of stored as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const row = entry as Record<string, unknown>;
    const translations = row['translations'];
    const translated = typeof translations === 'object' && translations !== null ? (translations as Record<string, unknown>)[language] : undefined;
    const requirementId = text(row['requirementId']);
    if (requirementId && typeof translated === 'object' && translated !== null) texts.set(requirementId, translated as Record<string, unknown>);
  }
  return fields.map((field) => {
    const translated = texts.get(field.requirementId);
    if (!translated) return field;
    return { ...field, label: text(translated['label']) ?? field.label, description: text(translated['description']) ?? field.description };
  });
}
