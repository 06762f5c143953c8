import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiesFrom, get, startTestApp, type TestApp } from '../test/support/app.ts';

describe('coming back', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-11-24T10:00:00Z') });
  });
  afterAll(() => app.close());

  it('takes a returning visitor from / to the city they saw last, in their language', async () => {
    const visit = await get(`${app.url}/en/city/lviv`, { 'accept-language': 'en' });
    const setCookie = visit.headers.getSetCookie().find((cookie) => cookie.startsWith('cs_city='));
    expect(setCookie).toMatch(/^cs_city=s%3Alviv\.[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const cookie = cookiesFrom(visit);
    const back = await get(`${app.url}/`, { cookie, 'accept-language': 'en' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/en/city/lviv');
    const again = await get(`${app.url}/en/city/lviv`, { cookie });
    expect(again.headers.getSetCookie().some((line) => line.startsWith('cs_city='))).toBe(false);
    const moved = await get(`${app.url}/uk/city/odesa`, { cookie });
    expect(moved.headers.getSetCookie().find((line) => line.startsWith('cs_city='))).toMatch(/^cs_city=s%3Aodesa\./);
  });

  it('sets no cookie for a returning visitor with no city remembered, so their pages stay cacheable', async () => {
    const page = await get(`${app.url}/uk/city/kyiv`, { cookie: 'cs_visitor=1' });
    expect(page.headers.getSetCookie()).toEqual([]);
  });

  it('sends a first-time visitor, or one with a forged cookie, to the city list', async () => {
    expect((await get(`${app.url}/`)).headers.get('location')).toBe('/uk/');
    for (const cookie of ['cs_city=lviv', 'cs_city=s%3Alviv.forged', 'cs_city=s%3Aatlantis.x']) {
      expect((await get(`${app.url}/`, { cookie })).headers.get('location')).toBe('/uk/');
    }
  });
});
