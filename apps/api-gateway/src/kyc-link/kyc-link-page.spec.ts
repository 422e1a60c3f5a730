import type { KycRequirement } from '@numbers/domain';
import { errorsByControl, readKycLinkForm } from './kyc-link-form';
import { pageLanguage } from './kyc-link-page';
import { renderKycForm } from './kyc-link-page.template';

const FIELDS: KycRequirement[] = [
  { requirementId: 'req_br_tax_id', label: 'CPF ou CNPJ', kind: 'text', description: null, example: '123.456.789-09', localTo: null, audience: null },
  { requirementId: 'req_br_address', label: 'Endereço no Brasil', kind: 'address', description: null, example: null, localTo: 'BR', audience: null },
  { requirementId: 'req_br_id', label: 'Documento', kind: 'file', description: null, example: null, localTo: null, audience: null },
];

describe('the hosted KYC page', () => {
  it('picks ?lang=, else the link’s language, else the browser’s first one it speaks, else English', () => {
    expect(pageLanguage({ token: 't', lang: 'es', acceptLanguage: 'pt-BR' }, 'en')).toBe('es');
    expect(pageLanguage({ token: 't', lang: 'fr', acceptLanguage: undefined }, 'pt-BR')).toBe('pt-BR');
    expect(pageLanguage({ token: 't', lang: undefined, acceptLanguage: 'fr-FR, pt-PT;q=0.8, es;q=0.9' }, null)).toBe('es');
    expect(pageLanguage({ token: 't', lang: undefined, acceptLanguage: 'pt;q=0.5, de' }, null)).toBe('pt-BR');
    expect(pageLanguage({ token: 't', lang: undefined, acceptLanguage: 'de, es;q=0' }, null)).toBe('en');
  });

  it('escapes everything it shows: branding, typed values, errors, the token', () => {
    const html = renderKycForm({
      language: 'pt-BR',
      token: 'kycl_"><script>',
      country: 'BR',
      fields: FIELDS,
      branding: { companyName: '<b>Acme</b>', logoUrl: 'https://x.example/a.png?"onerror="alert(1)', brandColor: 'red;}</style><script>' },
      values: { 'values.req_br_tax_id': '"><img src=x onerror=alert(1)>' },
      errors: { 'values.req_br_tax_id': '<i>wrong</i>' },
    });
    expect(html).not.toMatch(/<script>|<img src=x|<b>Acme|<i>wrong|"onerror=/);
    expect(html).toContain('&#60;b&#62;Acme&#60;/b&#62;');
    // A colour that is not hex is not used at all.
    expect(html).toContain('--brand: #1a73e8;');
    expect(html).toContain('<html lang="pt-BR">');
  });

  it('ties each error to its control and keeps what was typed', () => {
    const html = renderKycForm({
      language: 'en',
      token: 'kycl_x',
      country: 'BR',
      fields: FIELDS,
      branding: { companyName: null, logoUrl: null, brandColor: null },
      values: { 'address.street_address': 'Avenida Paulista 1578' },
      errors: { 'address.postal_code': 'postal_code is not a BR postal code' },
    });
    expect(html).toContain('<label for="f-address-postal_code">');
    expect(html).toMatch(/<input type="text" id="f-address-postal_code" name="address.postal_code" value="" required autocomplete="postal-code" aria-invalid="true" aria-describedby="f-address-postal_code-error">/);
    expect(html).toContain('<p class="error" id="f-address-postal_code-error">Please correct this: postal_code is not a BR postal code</p>');
    expect(html).toContain('value="Avenida Paulista 1578"');
    expect(html).toContain('<a href="#f-address-postal_code">');
  });

  it('reads the form into a submission and maps the KYC rules’ params back to its controls', async () => {
    const form = new FormData();
    form.set('values.req_br_tax_id', '123');
    form.set('address.street_address', 'Avenida Paulista 1578');
    form.set('address.business_name', '');
    form.set('documents.req_br_id', new File([Buffer.from('%PDF-1.4')], 'cnh.pdf', { type: 'application/pdf' }));
    form.set('values.not_a_field', 'ignored');
    const answers = await readKycLinkForm(form, FIELDS, 'BR');
    expect(answers).toEqual({
      values: { req_br_tax_id: '123' },
      documents: [{ requirementId: 'req_br_id', filename: 'cnh.pdf', base64: `data:application/pdf;base64,${Buffer.from('%PDF-1.4').toString('base64')}` }],
      address: { street_address: 'Avenida Paulista 1578', country_code: 'BR', requirementId: 'req_br_address' },
      kept: { 'values.req_br_tax_id': '123', 'address.street_address': 'Avenida Paulista 1578' },
    });
    expect(
      errorsByControl(
        [
          { param: 'values.req_br_tax_id', message: 'must be a valid CPF' },
          { param: 'values.req_br_tax_id', message: 'second' },
          { param: 'documents.0.base64', message: 'not a PDF' },
          { param: 'address.country_code', message: 'must be BR' },
          { param: 'quantity', message: 'elsewhere' },
        ],
        answers,
      ),
    ).toEqual({ 'values.req_br_tax_id': 'must be a valid CPF', 'documents.req_br_id': 'not a PDF', address: 'must be BR', form: 'elsewhere' });
  });
});
