import { checkWebhookUrl, forbiddenAddressReason, isAllowedDestination, isForbiddenAddress, isLoopbackAddress } from './destination-policy';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(true);
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:100.64.0.1', 'shared (CGNAT)'],
    ['::ffff:224.0.0.1', 'multicast'],
  ])('refuses the IPv4-mapped form %s (%s)', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each([
    ['64:ff9b::127.0.0.1', 'loopback, embedded in IPv6'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata, embedded in IPv6'],
    ['2002:0a00:0001::1', 'private, embedded in IPv6'],
    ['::127.0.0.1', 'reserved'],
  ])('refuses %s, which embeds a forbidden IPv4 address (%s)', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '169.255.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'lets the public address %s through',
    (ip) => {
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );

  it.each(['', 'localhost', 'example.com', '[::1]', '127.1', '999.1.1.1'])('refuses %j, which is not an IP address', (ip) => {
    expect(forbiddenAddressReason(ip)).toBe('not an IP address');
  });
});

describe('isLoopbackAddress and isAllowedDestination', () => {
  it('count 127/8, ::1 and ::ffff:127.x as loopback, and nothing else', () => {
    for (const ip of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(ip)).toBe(true);
    for (const ip of ['10.0.0.1', '169.254.169.254', '0.0.0.0', '::', '64:ff9b::127.0.0.1', '8.8.8.8']) expect(isLoopbackAddress(ip)).toBe(false);
  });

  it('allow loopback only when told, never private or metadata', () => {
    expect(isAllowedDestination('127.0.0.1', false)).toBe(false);
    expect(isAllowedDestination('127.0.0.1', true)).toBe(true);
    expect(isAllowedDestination('::1', true)).toBe(true);
    expect(isAllowedDestination('10.0.0.1', true)).toBe(false);
    expect(isAllowedDestination('169.254.169.254', true)).toBe(false);
    expect(isAllowedDestination('8.8.8.8', false)).toBe(true);
  });
});

describe('checkWebhookUrl', () => {
  const production = { requireHttps: true, allowLoopback: false };
  const local = { requireHttps: false, allowLoopback: true };

  it('accepts an https URL on a name or a public address', () => {
    expect(checkWebhookUrl('https://hooks.example.com/zernio?team=ops', production)).toBeNull();
    expect(checkWebhookUrl('https://93.184.216.34:8443/in', production)).toBeNull();
    expect(checkWebhookUrl('https://[2606:4700:4700::1111]/in', production)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(checkWebhookUrl('not a url', production)).toBe('url is not a valid absolute URL');
    expect(checkWebhookUrl('/relative', production)).toBe('url is not a valid absolute URL');
    expect(checkWebhookUrl('http://hooks.example.com/', production)).toBe('url must use https, not http');
    expect(checkWebhookUrl('ftp://hooks.example.com/', local)).toBe('url must use http or https, not ftp');
    expect(checkWebhookUrl('https://user:pw@hooks.example.com/', production)).toMatch(/^url must not contain a user name or password/);
    expect(checkWebhookUrl('https://10.0.0.1/', production)).toBe('url points to 10.0.0.1 (private): webhooks go to public addresses only');
    expect(checkWebhookUrl('https://169.254.169.254/latest/meta-data', production)).toMatch(/^url points to 169\.254\.169\.254 \(cloud metadata\)/);
    expect(checkWebhookUrl('https://[::ffff:127.0.0.1]/', production)).toMatch(/^url points to ::ffff:7f00:1 \(loopback\)/);
  });

  it('sees through the spellings of an IP address that the URL parser normalizes', () => {
    for (const url of ['https://0x7f.1/', 'https://2130706433/', 'https://127.1/', 'https://0177.0.0.1/']) {
      expect(checkWebhookUrl(url, production)).toMatch(/^url points to 127\.0\.0\.1 \(loopback\)/);
    }
  });

  it('with loopback allowed, takes 127/8, ::1 and localhost over http, and still refuses private and metadata', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4321/hook', local)).toBeNull();
    expect(checkWebhookUrl('http://[::1]:4321/hook', local)).toBeNull();
    expect(checkWebhookUrl('http://localhost:4321/hook', local)).toBeNull();
    expect(checkWebhookUrl('http://10.0.0.1/hook', local)).toMatch(/\(private\)/);
    expect(checkWebhookUrl('http://169.254.169.254/', local)).toMatch(/\(cloud metadata\)/);
    expect(checkWebhookUrl('http://0.0.0.0:4321/', local)).toMatch(/\(unspecified\)/);
  });
});
