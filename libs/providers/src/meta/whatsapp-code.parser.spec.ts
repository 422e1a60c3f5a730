import { parseWhatsAppCode } from './whatsapp-code.parser';

describe('parseWhatsAppCode', () => {
  it('reads the code as Meta phrases it, with or without the hyphen', () => {
    expect(parseWhatsAppCode('WhatsApp code 123-830')).toBe('123830');
    expect(parseWhatsAppCode("WhatsApp code 004-512\nDon't share this code with others")).toBe('004512');
    expect(parseWhatsAppCode('<#> Your WhatsApp Business code: 765 432')).toBe('765432');
    expect(parseWhatsAppCode('Your WhatsApp Business code is 111222')).toBe('111222');
  });

  it('ignores texts that carry no WhatsApp code', () => {
    expect(parseWhatsAppCode('Your bank code is 123-456')).toBeNull();
    expect(parseWhatsAppCode('WhatsApp: call me at 5551234567')).toBeNull();
    expect(parseWhatsAppCode('hello')).toBeNull();
  });
});
