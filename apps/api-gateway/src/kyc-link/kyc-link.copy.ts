import type { KycPageLanguage } from '@numbers/domain';

/** The words of the hosted KYC page, in each language it speaks (the fields' own texts are reference data). */
export interface KycPageCopy {
  languageName: string;
  /** `place`: the country as its phrase says it ("in Germany", "na Alemanha"). */
  title: (place: string) => string;
  intro: (company: string | null) => string;
  languages: string;
  required: string;
  example: string;
  fileHint: string;
  chooseAgain: string;
  address: {
    legend: string;
    whoHint: string;
    business_name: string;
    first_name: string;
    last_name: string;
    street_address: string;
    extended_address: string;
    locality: string;
    administrative_area: string;
    postal_code: string;
  };
  endUser: { firstName: string; lastName: string };
  submit: string;
  errorSummary: (count: number) => string;
  fixField: string;
  submitted: { title: string; text: string };
  used: { title: string; text: string };
  expired: { title: string; text: string };
  notFound: { title: string; text: string };
  refused: { title: string; text: string };
}

/** "in <country>" for the countries of the reference data (Portuguese bends the preposition to the name). */
const IN_COUNTRY: Record<KycPageLanguage, Record<string, string>> = {
  en: { DE: 'in Germany', FR: 'in France', BR: 'in Brazil', AU: 'in Australia' },
  es: { DE: 'en Alemania', FR: 'en Francia', BR: 'en Brasil', AU: 'en Australia' },
  'pt-BR': { DE: 'na Alemanha', FR: 'na França', BR: 'no Brasil', AU: 'na Austrália' },
};
const IN: Record<KycPageLanguage, string> = { en: 'in', es: 'en', 'pt-BR': 'em' };

export function inCountry(language: KycPageLanguage, code: string): string {
  return IN_COUNTRY[language][code] ?? `${IN[language]} ${code}`;
}

export const KYC_PAGE_COPY: Record<KycPageLanguage, KycPageCopy> = {
  en: {
    languageName: 'English',
    title: (place) => `Identity verification for a phone number ${place}`,
    intro: (company) =>
      `${company ?? 'Your provider'} needs these details to register a phone number for you. The regulator reviews them; the number is ordered once they are approved.`,
    languages: 'Language',
    required: 'required',
    example: 'Example',
    fileHint: 'PDF, JPG, PNG or WEBP, at most 10 MB.',
    chooseAgain: 'Files are not kept when the form is shown again: choose the file again.',
    address: {
      legend: 'Address',
      whoHint: 'Who the number is registered for: a company name, or a first and last name.',
      business_name: 'Company name',
      first_name: 'First name',
      last_name: 'Last name',
      street_address: 'Street and number',
      extended_address: 'Address line 2',
      locality: 'City',
      administrative_area: 'State or region',
      postal_code: 'Postal code',
    },
    endUser: { firstName: 'First name', lastName: 'Last name' },
    submit: 'Submit for review',
    errorSummary: (count) => (count === 1 ? 'One field needs your attention.' : `${count} fields need your attention.`),
    fixField: 'Please correct this',
    submitted: { title: 'Thank you: your details were submitted', text: 'The regulator reviews them now. You can close this page.' },
    used: { title: 'This link was used already', text: 'The details were submitted with it. Ask your provider for a new link to submit again.' },
    expired: { title: 'This link has expired', text: 'Ask your provider for a new link.' },
    notFound: { title: 'This link is not valid', text: 'Check that the whole link was copied, or ask your provider for a new one.' },
    refused: { title: 'The details could not be submitted', text: 'Nothing was submitted. Please tell your provider:' },
  },
  es: {
    languageName: 'Español',
    title: (place) => `Verificación de identidad para un número de teléfono ${place}`,
    intro: (company) =>
      `${company ?? 'Su proveedor'} necesita estos datos para registrar un número de teléfono para usted. El regulador los revisa; el número se contrata cuando se aprueban.`,
    languages: 'Idioma',
    required: 'obligatorio',
    example: 'Ejemplo',
    fileHint: 'PDF, JPG, PNG o WEBP, de 10 MB como máximo.',
    chooseAgain: 'Los archivos no se conservan al mostrar de nuevo el formulario: elija el archivo otra vez.',
    address: {
      legend: 'Dirección',
      whoHint: 'A nombre de quién se registra el número: el nombre de una empresa, o un nombre y apellido.',
      business_name: 'Nombre de la empresa',
      first_name: 'Nombre',
      last_name: 'Apellido',
      street_address: 'Calle y número',
      extended_address: 'Línea de dirección 2',
      locality: 'Ciudad',
      administrative_area: 'Estado o región',
      postal_code: 'Código postal',
    },
    endUser: { firstName: 'Nombre', lastName: 'Apellido' },
    submit: 'Enviar para revisión',
    errorSummary: (count) => (count === 1 ? 'Un campo requiere su atención.' : `${count} campos requieren su atención.`),
    fixField: 'Corrija este campo',
    submitted: { title: 'Gracias: sus datos se han enviado', text: 'El regulador los revisa ahora. Puede cerrar esta página.' },
    used: { title: 'Este enlace ya se utilizó', text: 'Los datos ya se enviaron con él. Pida a su proveedor un enlace nuevo para enviarlos otra vez.' },
    expired: { title: 'Este enlace ha caducado', text: 'Pida a su proveedor un enlace nuevo.' },
    notFound: { title: 'Este enlace no es válido', text: 'Compruebe que copió el enlace completo, o pida uno nuevo a su proveedor.' },
    refused: { title: 'No se pudieron enviar los datos', text: 'No se envió nada. Comuníquelo a su proveedor:' },
  },
  'pt-BR': {
    languageName: 'Português (Brasil)',
    title: (place) => `Verificação de identidade para um número de telefone ${place}`,
    intro: (company) =>
      `${company ?? 'Seu provedor'} precisa destes dados para registrar um número de telefone para você. O órgão regulador os analisa; o número é contratado quando forem aprovados.`,
    languages: 'Idioma',
    required: 'obrigatório',
    example: 'Exemplo',
    fileHint: 'PDF, JPG, PNG ou WEBP, com no máximo 10 MB.',
    chooseAgain: 'Os arquivos não são mantidos quando o formulário é mostrado de novo: escolha o arquivo outra vez.',
    address: {
      legend: 'Endereço',
      whoHint: 'Em nome de quem o número é registrado: o nome de uma empresa, ou nome e sobrenome.',
      business_name: 'Nome da empresa',
      first_name: 'Nome',
      last_name: 'Sobrenome',
      street_address: 'Rua e número',
      extended_address: 'Complemento',
      locality: 'Cidade',
      administrative_area: 'Estado ou região',
      postal_code: 'CEP',
    },
    endUser: { firstName: 'Nome', lastName: 'Sobrenome' },
    submit: 'Enviar para análise',
    errorSummary: (count) => (count === 1 ? 'Um campo precisa da sua atenção.' : `${count} campos precisam da sua atenção.`),
    fixField: 'Corrija este campo',
    submitted: { title: 'Obrigado: seus dados foram enviados', text: 'O órgão regulador os analisa agora. Você pode fechar esta página.' },
    used: { title: 'Este link já foi usado', text: 'Os dados já foram enviados com ele. Peça um novo link ao seu provedor para enviar novamente.' },
    expired: { title: 'Este link expirou', text: 'Peça um novo link ao seu provedor.' },
    notFound: { title: 'Este link não é válido', text: 'Verifique se o link foi copiado por inteiro, ou peça um novo ao seu provedor.' },
    refused: { title: 'Não foi possível enviar os dados', text: 'Nada foi enviado. Informe ao seu provedor:' },
  },
};
