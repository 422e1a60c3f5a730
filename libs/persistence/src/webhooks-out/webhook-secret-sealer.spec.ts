import { AppConfig } from '@numbers/config';
import { SipCredentialSealer } from '../calls/sip-credential-sealer';
import { WebhookSecretSealer } from './webhook-secret-sealer';

describe('WebhookSecretSealer', () => {
  const key = Buffer.alloc(32, 4);
  const keys = { current: key, previous: [] };
  const config = { webhooks: { secretsKeys: keys }, sipCredentialKeys: keys } as unknown as AppConfig;
  const sealer = new WebhookSecretSealer(config);

  it('opens a secret only for the webhook it was sealed for', () => {
    const sealed = sealer.seal('whsec_abc', 'wh_1');
    expect(sealed).not.toContain('whsec_abc');
    expect(sealer.open(sealed, 'wh_1')).toBe('whsec_abc');
    expect(() => sealer.open(sealed, 'wh_2')).toThrow();
    expect(() => sealer.open('whsec_abc', 'wh_1')).toThrow('not a sealed webhook secret');
  });

  it('derives its own key: under the same root key, the SIP sealer cannot open a webhook secret', () => {
    expect(() => new SipCredentialSealer(config).open(sealer.seal('whsec_abc', 'wh_1'), 'wh_1')).toThrow();
  });
});
