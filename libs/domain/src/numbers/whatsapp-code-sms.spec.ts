import { awaitsWhatsAppCode, isWhatsAppCodeSender, WHATSAPP_CODE_REQUESTED } from './whatsapp-code-sms';

describe('the WhatsApp activation code SMS', () => {
  it("is Meta's only from one of the senders Meta uses", () => {
    const senders = ['+15550001111', 'WhatsApp'];
    for (const sender of ['+15550001111', '15550001111', '+1 555-000-1111', 'whatsapp', ' WHATSAPP ']) expect({ sender, ok: isWhatsAppCodeSender(sender, senders) }).toEqual({ sender, ok: true });
    for (const sender of ['+15550001112', '+155500011110', 'WhatsApp2', 'Whats App', '', '   ', null]) expect({ sender, ok: isWhatsAppCodeSender(sender, senders) }).toEqual({ sender, ok: false });
    expect(isWhatsAppCodeSender('+15550001111', [])).toBe(false);
  });

  it('is submitted only for a verifying number with a code requested', () => {
    expect(awaitsWhatsAppCode({ status: 'verifying', metaVerificationStatus: WHATSAPP_CODE_REQUESTED })).toBe(true);
    expect(awaitsWhatsAppCode({ status: 'verifying', metaVerificationStatus: null })).toBe(false);
    expect(awaitsWhatsAppCode({ status: 'active', metaVerificationStatus: 'VERIFIED' })).toBe(false);
    expect(awaitsWhatsAppCode({ status: 'active', metaVerificationStatus: WHATSAPP_CODE_REQUESTED })).toBe(false);
  });
});
