import { AppConfig } from '@numbers/config';
import { SipCredentialSealer } from './sip-credential-sealer';

describe('SipCredentialSealer', () => {
  const config = { sipCredentialKeys: { current: Buffer.alloc(32, 3), previous: [] } } as unknown as AppConfig;

  it('still opens credentials sealed before the sealing primitive was shared (same key derivation and format)', () => {
    // Sealed by the SipCredentialSealer of commit 81c83d3 under this key, for number num_01.
    const sealedBefore = 'v1.UHqXJFHQE7ItrJnk.oGz9W6YqXMiBfjI-2V-Uvw.4Jw_gkUg5icOvoHN19FuBCs';
    expect(new SipCredentialSealer(config).open(sealedBefore, 'num_01')).toBe('digest-password-1');
    expect(() => new SipCredentialSealer(config).open('plain', 'num_01')).toThrow('not a sealed SIP credential');
  });

  it('still opens them once the key has rotated (the old key kept for reading), and calls them stale', () => {
    const sealedBefore = 'v1.UHqXJFHQE7ItrJnk.oGz9W6YqXMiBfjI-2V-Uvw.4Jw_gkUg5icOvoHN19FuBCs';
    const rotated = new SipCredentialSealer({ sipCredentialKeys: { current: Buffer.alloc(32, 4), previous: [Buffer.alloc(32, 3)] } } as unknown as AppConfig);
    expect(rotated.open(sealedBefore, 'num_01')).toBe('digest-password-1');
    expect(rotated.isStale(sealedBefore)).toBe(true);
  });
});
