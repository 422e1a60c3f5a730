import { KYC_PAGE_LANGUAGES, type KycPageLanguage, type KycRequirement } from '@numbers/domain';
import { inCountry, KYC_PAGE_COPY, type KycPageCopy } from './kyc-link.copy';

// The hosted KYC page as HTML, rendered on the server (no script, no build step). Every value
// that reaches the page goes through `escape`; the only markup is written here. Accessibility:
// the page's `lang`, a label for every control, hints and errors tied to their control
// (aria-describedby, aria-invalid), an error summary that links to each field, and plain
// controls a keyboard reaches in order.

export interface KycPageBranding {
  companyName: string | null;
  logoUrl: string | null;
  brandColor: string | null;
}

export interface KycFormPage {
  language: KycPageLanguage;
  /** The link's token: the form posts back to this page with it. */
  token: string;
  country: string;
  fields: KycRequirement[];
  branding: KycPageBranding;
  /** What the end customer typed, by control name, shown again after a refusal. */
  values: Record<string, string>;
  /** Errors by control name (`values.<id>`, `documents.<id>`, `address.<field>`, `address`, `endUserFirstName`...); `form` is about no one field. */
  errors: Record<string, string>;
}

export interface KycMessagePage {
  language: KycPageLanguage;
  branding: KycPageBranding;
  message: keyof Pick<KycPageCopy, 'submitted' | 'used' | 'expired' | 'notFound' | 'refused'>;
  detail?: string;
}

/** The address controls, in the order a person writes an address. */
export const ADDRESS_FIELDS = ['business_name', 'first_name', 'last_name', 'street_address', 'extended_address', 'postal_code', 'locality', 'administrative_area'] as const;
const ADDRESS_REQUIRED = new Set(['street_address', 'locality', 'postal_code']);
const ADDRESS_AUTOCOMPLETE: Record<(typeof ADDRESS_FIELDS)[number], string> = {
  business_name: 'organization',
  first_name: 'given-name',
  last_name: 'family-name',
  street_address: 'address-line1',
  extended_address: 'address-line2',
  postal_code: 'postal-code',
  locality: 'address-level2',
  administrative_area: 'address-level1',
};

const DEFAULT_BRAND = '#1a73e8';
const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function escape(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A control's element id, from its name (`values.req_br_tax_id` → `f-values-req_br_tax_id`). */
const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const pageUrl = (token: string, language: KycPageLanguage) => `?${new URLSearchParams({ token, lang: language })}`;

function layout(language: KycPageLanguage, branding: KycPageBranding, title: string, body: string): string {
  const brand = branding.brandColor && HEX_COLOUR.test(branding.brandColor) ? branding.brandColor : DEFAULT_BRAND;
  const logo = branding.logoUrl
    ? `<img class="logo" src="${escape(branding.logoUrl)}" alt="${escape(branding.companyName ?? '')}" height="48">`
    : '';
  const company = branding.companyName ? `<p class="company">${escape(branding.companyName)}</p>` : '';
  return `<!doctype html>
<html lang="${escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>
:root { --brand: ${brand}; }
body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem; background: #fff; min-height: 100vh; box-sizing: border-box; }
header { border-bottom: 4px solid var(--brand); margin-bottom: 1.5rem; padding-bottom: .75rem; display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.company { font-weight: 600; margin: 0; }
h1 { font-size: 1.5rem; line-height: 1.25; }
nav ul { list-style: none; padding: 0; margin: 0; display: flex; gap: 1rem; }
nav { margin-left: auto; }
a { color: var(--brand); }
a:focus, input:focus, button:focus { outline: 3px solid var(--brand); outline-offset: 2px; }
.field { margin: 0 0 1.25rem; }
label, legend { display: block; font-weight: 600; }
.hint { color: #57606a; margin: .25rem 0; font-size: .9375rem; }
input[type=text], input[type=date] { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #8c959f; border-radius: 4px; }
input[aria-invalid=true] { border: 2px solid #cf222e; }
fieldset { border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; margin: 0 0 1.25rem; }
.error { color: #cf222e; font-weight: 600; margin: .25rem 0; }
.summary { border: 2px solid #cf222e; border-radius: 6px; padding: 1rem; margin-bottom: 1.5rem; }
button { background: var(--brand); color: #fff; border: 0; border-radius: 6px; padding: .75rem 1.5rem; font: inherit; font-weight: 600; cursor: pointer; }
</style>
</head>
<body>
<main>
<header>${logo}${company}</header>
${body}
</main>
</body>
</html>
`;
}

function languageSwitch(token: string, current: KycPageLanguage, copy: KycPageCopy): string {
  const items = KYC_PAGE_LANGUAGES.map((language) => {
    const name = escape(KYC_PAGE_COPY[language].languageName);
    return language === current
      ? `<li><a href="${escape(pageUrl(token, language))}" aria-current="true" hreflang="${language}" lang="${language}">${name}</a></li>`
      : `<li><a href="${escape(pageUrl(token, language))}" hreflang="${language}" lang="${language}">${name}</a></li>`;
  }).join('');
  return `<nav aria-label="${escape(copy.languages)}"><ul>${items}</ul></nav>`;
}

/** The ids of a control's hint and error, for aria-describedby. */
function describedBy(name: string, hint: boolean, error: boolean): string {
  const ids = [hint ? `${idOf(name)}-hint` : null, error ? `${idOf(name)}-error` : null].filter((id): id is string => id !== null);
  return ids.length > 0 ? ` aria-describedby="${ids.join(' ')}"` : '';
}

function errorOf(name: string, page: KycFormPage, copy: KycPageCopy): string {
  const error = page.errors[name];
  return error === undefined ? '' : `<p class="error" id="${idOf(name)}-error">${escape(copy.fixField)}: ${escape(error)}</p>`;
}

function input(name: string, label: string, page: KycFormPage, copy: KycPageCopy, options: { type?: string; required?: boolean; hint?: string; autocomplete?: string } = {}): string {
  const id = idOf(name);
  const error = page.errors[name] !== undefined;
  const type = options.type ?? 'text';
  const value = type === 'file' ? '' : ` value="${escape(page.values[name] ?? '')}"`;
  const accept = type === 'file' ? ' accept=".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"' : '';
  const required = options.required ? ' required' : '';
  const autocomplete = options.autocomplete ? ` autocomplete="${options.autocomplete}"` : '';
  const mark = options.required ? ` <span class="hint">(${escape(copy.required)})</span>` : '';
  const hint = options.hint ? `<p class="hint" id="${id}-hint">${escape(options.hint)}</p>` : '';
  return (
    `<div class="field"><label for="${id}">${escape(label)}${mark}</label>${hint}${errorOf(name, page, copy)}` +
    `<input type="${type}" id="${id}" name="${escape(name)}"${value}${accept}${required}${autocomplete}${error ? ' aria-invalid="true"' : ''}${describedBy(name, Boolean(options.hint), error)}></div>`
  );
}

function fieldHint(field: KycRequirement, copy: KycPageCopy, extra?: string): string {
  return [field.description, field.example ? `${copy.example}: ${field.example}` : null, extra]
    .filter((part): part is string => Boolean(part))
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

function addressFieldset(field: KycRequirement, page: KycFormPage, copy: KycPageCopy): string {
  const error = page.errors['address'];
  const legendHint = `<p class="hint" id="f-address-hint">${escape(fieldHint(field, copy, copy.address.whoHint))}</p>`;
  const groupError = error === undefined ? '' : `<p class="error" id="f-address-error" tabindex="-1">${escape(copy.fixField)}: ${escape(error)}</p>`;
  const controls = ADDRESS_FIELDS.map((name) =>
    input(`address.${name}`, copy.address[name], page, copy, { required: ADDRESS_REQUIRED.has(name), autocomplete: ADDRESS_AUTOCOMPLETE[name] }),
  ).join('');
  return (
    `<fieldset id="f-address" aria-describedby="f-address-hint${error === undefined ? '' : ' f-address-error'}"><legend>${escape(field.label)}</legend>` +
    `${legendHint}${groupError}${controls}</fieldset>`
  );
}

function fieldOf(field: KycRequirement, page: KycFormPage, copy: KycPageCopy): string {
  switch (field.kind) {
    case 'text':
      return input(`values.${field.requirementId}`, field.label, page, copy, { required: true, hint: fieldHint(field, copy) });
    case 'date':
      return input(`values.${field.requirementId}`, field.label, page, copy, { type: 'date', required: true, hint: fieldHint(field, copy) });
    case 'file': {
      const again = Object.keys(page.errors).length > 0 ? copy.chooseAgain : undefined;
      return input(`documents.${field.requirementId}`, field.label, page, copy, { type: 'file', required: true, hint: fieldHint(field, copy, [copy.fileHint, again].filter(Boolean).join(' ')) });
    }
    case 'address':
      return addressFieldset(field, page, copy);
    case 'action':
      return (
        `<fieldset><legend>${escape(field.label)}</legend><p class="hint">${escape(fieldHint(field, copy))}</p>` +
        input('endUserFirstName', copy.endUser.firstName, page, copy, { required: true, autocomplete: 'given-name' }) +
        input('endUserLastName', copy.endUser.lastName, page, copy, { required: true, autocomplete: 'family-name' }) +
        `</fieldset>`
      );
  }
}

/** The summary of a refusal: each error, linking to its control. */
function errorSummary(page: KycFormPage, copy: KycPageCopy): string {
  const entries = Object.entries(page.errors);
  if (entries.length === 0) return '';
  const items = entries
    .map(([name, message]) => (name === 'form' ? `<li>${escape(message)}</li>` : `<li><a href="#${idOf(name)}">${escape(message)}</a></li>`))
    .join('');
  return `<div class="summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">${escape(copy.errorSummary(entries.length))}</h2><ul>${items}</ul></div>`;
}

export function renderKycForm(page: KycFormPage): string {
  const copy = KYC_PAGE_COPY[page.language];
  const title = copy.title(inCountry(page.language, page.country));
  const body =
    `${languageSwitch(page.token, page.language, copy)}` +
    `<h1>${escape(title)}</h1><p>${escape(copy.intro(page.branding.companyName))}</p>` +
    errorSummary(page, copy) +
    `<form method="post" enctype="multipart/form-data" action="${escape(pageUrl(page.token, page.language))}">` +
    page.fields.map((field) => fieldOf(field, page, copy)).join('') +
    `<button type="submit">${escape(copy.submit)}</button></form>`;
  return layout(page.language, page.branding, title, body);
}

export function renderKycMessage(page: KycMessagePage): string {
  const copy = KYC_PAGE_COPY[page.language];
  const { title, text } = copy[page.message];
  const detail = page.detail ? `<p>${escape(page.detail)}</p>` : '';
  return layout(page.language, page.branding, title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>${detail}`);
}
