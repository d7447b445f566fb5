import { checkLogo, checkSvg } from './logo-file';

/** The smallest PNG: 1×1, its chunks as a real encoder writes them (the CRCs are not checked here). */
const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a6e5a5f30000000049454e44ae426082',
  'hex',
);

describe('logo file check', () => {
  it('takes a PNG and a plain SVG by their bytes', () => {
    expect(checkLogo(TINY_PNG)).toEqual({ ok: true, type: 'image/png' });
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- 市章 -->\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
      <defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient><style>.a{fill:url(#g)}</style></defs>
      <title>入間市 市章</title><circle class="a" cx="5" cy="5" r="4" fill="url(#g)"/><use xlink:href="#g"/><text x="1" y="9">A &amp; B</text></svg>`;
    expect(checkLogo(Buffer.from(svg))).toEqual({ ok: true, type: 'image/svg+xml' });
  });

  it('refuses anything that could run script or fetch another file, naming what', () => {
    const bad: [string, RegExp][] = [
      ['<svg><script>alert(1)</script></svg>', /script/],
      ['<svg onload="alert(1)"/>', /onload/],
      ['<svg><a href="javascript:alert(1)"><rect/></a></svg>', /<a>/],
      ['<svg><use href="https://evil.example/x.svg#a"/></svg>', /href/],
      ['<svg><image href="#x"/></svg>', /image/],
      ['<svg><foreignObject><div/></foreignObject></svg>', /foreignObject/],
      ['<svg><rect style="fill:url(https://x/y)"/></svg>', /url/],
      ['<svg><style>@import "https://x/y.css";</style></svg>', /外部/],
      ['<svg><rect fill="&#106;avascript:"/></svg>', /文字参照/],
      ['<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', /set/],
      ['<svg><rect></svg>', /閉じ/],
      ['<svg><rect x=1/></svg>', /属性/],
    ];
    for (const [svg, reason] of bad) expect([svg, checkSvg(svg)]).toEqual([svg, expect.stringMatching(reason)]);
    expect(checkLogo(Buffer.from('<!DOCTYPE svg [<!ENTITY x "y">]><svg/>'))).toMatchObject({ ok: false });
    expect(checkLogo(Buffer.from('<html><script>alert(1)</script></html>'))).toEqual({ ok: false, reason: 'ロゴは PNG か SVG の画像にしてください' });
    expect(checkLogo(Buffer.from('GIF89a'))).toMatchObject({ ok: false });
    expect(checkLogo(Buffer.alloc(256 * 1024 + 1, 0x20))).toEqual({ ok: false, reason: 'ファイルが大きすぎます（上限 256 KB）' });
    expect(checkLogo(TINY_PNG.subarray(0, TINY_PNG.length - 12))).toMatchObject({ ok: false, reason: expect.stringContaining('切れて') });
  });
});
