import { inPrefecture, isMailAddress, isPrefectureCode, parseMailbox, tenantProfileProblems } from './tenant-profile';

describe('tenant profile rules', () => {
  it('takes a sender as an address or a display name with one, and nothing a header could be forged with', () => {
    expect(parseMailbox('hyoka@city.iruma.lg.jp')).toEqual({ displayName: null, address: 'hyoka@city.iruma.lg.jp' });
    expect(parseMailbox('入間市 評価サイクル <hyoka@city.iruma.lg.jp>')).toEqual({ displayName: '入間市 評価サイクル', address: 'hyoka@city.iruma.lg.jp' });
    expect(parseMailbox('"入間市" <hyoka@city.iruma.lg.jp>')?.displayName).toBe('入間市');
    for (const bad of [
      'hyoka',
      'hyoka@',
      '@city.jp',
      'a@b',
      '入間市 hyoka@city.jp',
      'x <a@b.jp>\r\nBcc: c@d.jp',
      'a <b@c.jp> <d@e.jp>',
      'a..b@c.jp',
      '"a" b" <x@y.jp>',
    ])
      expect([bad, parseMailbox(bad)]).toEqual([bad, null]);
    expect(isMailAddress('kikaku.ka+1@city.example.lg.jp')).toBe(true);
    expect(isMailAddress('企画@city.jp')).toBe(false);
  });

  it('names the field of each problem, in Japanese, and lets optional fields be cleared but never the name', () => {
    expect(tenantProfileProblems({ name: '入間市', mailFrom: 'hyoka@city.jp', contactPhone: '04-2964-1111', contactEmail: null, contactName: '' })).toEqual([]);
    const problems = tenantProfileProblems({
      name: ' ',
      mailFrom: 'not an address',
      contactPhone: 'いちにさん',
      contactEmail: 'x@',
      contactName: 'a'.repeat(101),
    });
    expect(problems.map((p) => p.field)).toEqual(['name', 'mailFrom', 'contactName', 'contactPhone', 'contactEmail']);
    expect(problems[1].message).toMatch(/^メールの差出人は/);
    expect(tenantProfileProblems({ contactName: '企画課\n' })[0].message).toContain('改行');
  });

  it('tells the code of a prefecture (two digits, 000, check digit) and which prefecture the code of a municipality lies in', () => {
    expect(['110001', '130001', '470007'].map(isPrefectureCode)).toEqual([true, true, true]);
    expect(['112259', '131016', '11000', '1100011'].map(isPrefectureCode)).toEqual([false, false, false, false]);
    expect(inPrefecture('112259', '110001')).toBe(true);
    expect(inPrefecture('131016', '110001')).toBe(false);
  });
});
