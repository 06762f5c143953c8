import { describe, expect, it } from 'vitest';
import { dnsVerdict, expectedAddresses, type OwnAddresses, parseResolvConf } from './dns-match.ts';

describe('parseResolvConf', () => {
  it('takes the nameserver lines in order and skips comments, options and junk', () => {
    const text = [
      '# generated',
      'search example.com',
      'nameserver 127.0.0.53',
      '  nameserver   10.0.0.1  # office',
      'nameserver fe80::1%eth0',
      ';nameserver 9.9.9.9',
      'nameserver not-an-address',
      'options edns0',
      'nameserver 2001:db8::53',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['127.0.0.53', '10.0.0.1', 'fe80::1', '2001:db8::53']);
    expect(parseResolvConf('')).toEqual([]);
  });
});

const server: OwnAddresses = {
  interfaces: ['127.0.0.1', '::1', '10.0.0.5', 'fe80::1', '2001:db8::5'],
  public: ['203.0.113.7'],
};

describe('dnsVerdict', () => {
  it('passes when every record is an address of this server: an interface or its public address', () => {
    expect(dnsVerdict('films.example.com', ['203.0.113.7'], server)).toEqual({ ok: true });
    expect(dnsVerdict('films.example.com', ['10.0.0.5', '2001:db8::5'], server)).toEqual({ ok: true });
    expect(dnsVerdict('films.example.com', ['2001:0db8:0000::0005'], server)).toEqual({ ok: true });
  });

  it('does not count loopback and link-local addresses, which no CA reaches, unless told to (test DNS)', () => {
    for (const local of ['127.0.0.1', '::1', 'fe80::1']) {
      expect(dnsVerdict('films.example.com', [local], server)).toMatchObject({
        ok: false,
        message: `DNS says films.example.com is at ${local}, but ${local} is not this server's; it should say 203.0.113.7`,
      });
      expect(dnsVerdict('films.example.com', [local], server, { allowLocal: true })).toEqual({ ok: true });
    }
  });

  it('says what DNS says and what it should say when a record points elsewhere', () => {
    const verdict = dnsVerdict('films.example.com', ['203.0.113.7', '198.51.100.9'], server);
    expect(verdict).toEqual({
      ok: false,
      message:
        "DNS says films.example.com is at 203.0.113.7, 198.51.100.9, but 198.51.100.9 is not this server's; it should say 203.0.113.7",
      hint: 'point the A (and AAAA, if any) records of films.example.com at 203.0.113.7, wait until DNS answers with them, then run install-ssl again (--skip-dns-check asks the CA anyway)',
    });
  });

  it('fails when there is no record at all', () => {
    const verdict = dnsVerdict('films.example.com', [], server);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.message).toBe(
      'DNS has no A or AAAA record for films.example.com; it should point at 203.0.113.7',
    );
  });
});

describe('expectedAddresses', () => {
  it('prefers the public address, else the routable interface addresses, else whatever there is', () => {
    expect(expectedAddresses(server)).toEqual(['203.0.113.7']);
    expect(expectedAddresses({ ...server, public: [] })).toEqual(['10.0.0.5', '2001:db8::5']);
    expect(expectedAddresses({ interfaces: ['127.0.0.1', '::1'], public: [] })).toEqual(['127.0.0.1', '::1']);
  });
});
