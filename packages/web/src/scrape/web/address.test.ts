import { describe, expect, it } from 'vitest';
import { addressRefusal, checkUrl, isAllowedAddress } from './address.ts';

describe('addressRefusal', () => {
  it.each([
    ['93.184.215.14', undefined],
    ['8.8.8.8', undefined],
    ['2a00:1450:4001:82b::200e', undefined],
    ['2606:4700::6810:84e5', undefined],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.0.0.7', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['fd00::1', 'a unique-local address'],
    ['fc00::1', 'a unique-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['255.255.255.255', 'a broadcast address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['192.0.2.1', 'a reserved address'],
    ['240.0.0.1', 'a reserved address'],
    ['2001:db8::1', 'a reserved address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.7', 'a private address'],
    ['::ffff:169.254.169.254', 'a link-local address'],
    ['::127.0.0.1', 'a reserved address'],
    ['::7f00:1', 'a reserved address'],
    ['::8.8.8.8', 'a reserved address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['2002:7f00:1::1', 'a special-purpose address (6to4)'],
    ['64:ff9b::a00:7', 'a special-purpose address (rfc6052)'],
    ['localhost', 'a special-purpose address (not an IP address)'],
  ])('%s → %s', (address, refusal) => expect(addressRefusal(address)).toBe(refusal));

  it('with allowLoopback permits loopback and nothing else', () => {
    const policy = { allowLoopback: true };
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map((address) => isAllowedAddress(address, policy))).toEqual([
      true,
      true,
      true,
    ]);
    const others = ['10.0.0.7', '169.254.169.254', 'fd00::1', '0.0.0.0', '::', '224.0.0.1', '100.64.0.1'];
    expect(others.filter((address) => isAllowedAddress(address, policy))).toEqual([]);
  });
});

describe('checkUrl', () => {
  it.each([
    ['https://kino.example/schedule', true],
    ['http://93.184.215.14:8080/', true],
    ['http://[2a00:1450:4001:82b::200e]/', true],
    ['HTTPS://Kino.Example/', true],
  ])('%s may be fetched', (url, ok) => expect(checkUrl(url).ok).toBe(ok));

  it.each([
    ['http://[::1]/', 'address', 'http://[::1]/ is a loopback address'],
    ['http://0x7f000001/', 'address', 'http://127.0.0.1/ is a loopback address'],
    ['http://127.1/', 'address', 'http://127.0.0.1/ is a loopback address'],
    ['http://2130706433/', 'address', 'http://127.0.0.1/ is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'address', 'http://[::ffff:7f00:1]/ is a loopback address'],
    [
      'http://169.254.169.254/latest/meta-data/',
      'address',
      'http://169.254.169.254/latest/meta-data/ is a link-local address',
    ],
    ['http://[fd00::1]/', 'address', 'http://[fd00::1]/ is a unique-local address'],
    ['http://224.0.0.1/', 'address', 'http://224.0.0.1/ is a multicast address'],
    ['http://10.0.0.7/', 'address', 'http://10.0.0.7/ is a private address'],
    ['http://0.0.0.0:8080/', 'address', 'http://0.0.0.0:8080/ is an unspecified address'],
    ['https://user:secret@kino.example/', 'url', 'https://kino.example/ carries credentials'],
    ['https://user@kino.example/', 'url', 'https://kino.example/ carries credentials'],
    ['ftp://kino.example/schedule.txt', 'url', 'ftp://kino.example/schedule.txt is not an http or https URL'],
    ['file:///etc/passwd', 'url', 'file:///etc/passwd is not an http or https URL'],
    ['javascript:alert(1)', 'url', 'javascript:alert(1) is not an http or https URL'],
    ['not a url', 'url', 'not a url is not a valid URL'],
  ])('%s is refused (%s)', (url, code, phrase) => {
    const check = checkUrl(url);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.code).toBe(code);
    expect(`${check.shown} ${check.problem}`).toBe(phrase);
  });

  it('names loopback literals allowed only with allowLoopback', () => {
    expect(checkUrl('http://127.0.0.1:8080/', { allowLoopback: true }).ok).toBe(true);
    expect(checkUrl('http://[::1]:8080/', { allowLoopback: true }).ok).toBe(true);
    expect(checkUrl('http://10.0.0.7/', { allowLoopback: true }).ok).toBe(false);
  });

  it('never prints the credentials it refuses', () => {
    const check = checkUrl('https://user:secret@kino.example/');
    expect(JSON.stringify(check)).not.toContain('secret');
  });
});
