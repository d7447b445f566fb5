import { LOGO_TYPES, MAX_LOGO_BYTES, type LogoType } from '@app/domain';

/** What an uploaded logo is, or why it is refused (a Japanese sentence for the 422 on `file`). */
export type LogoCheck = { ok: true; type: LogoType } | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_SIDE = 4096;

/**
 * An uploaded logo is checked by its bytes, never by its name or the browser's type: a PNG (its
 * signature, an IHDR of at most 4096×4096, ending in IEND) or an SVG that can hold no script and
 * fetches nothing (checkSvg). The api serves it from its own origin with a sandboxing CSP
 * besides (libs/public-site PublicLogoController), so even a file that slipped past would run nothing.
 */
export function checkLogo(bytes: Buffer): LogoCheck {
  if (bytes.length === 0) return { ok: false, reason: 'ファイルが空です' };
  if (bytes.length > MAX_LOGO_BYTES) return { ok: false, reason: `ファイルが大きすぎます（上限 ${MAX_LOGO_BYTES / 1024} KB）` };
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return checkPng(bytes);
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes) && /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(text)) {
    const problem = checkSvg(text.replace(/^\uFEFF/, ''));
    return problem ? { ok: false, reason: `この SVG は使えません: ${problem}` } : { ok: true, type: 'image/svg+xml' };
  }
  return { ok: false, reason: `ロゴは ${LOGO_TYPES.map((t) => (t === 'image/png' ? 'PNG' : 'SVG')).join(' か ')} の画像にしてください` };
}

function checkPng(bytes: Buffer): LogoCheck {
  if (bytes.length < 8 + 25 + 12 || bytes.toString('latin1', 12, 16) !== 'IHDR') return { ok: false, reason: 'PNG ファイルが壊れています' };
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (!width || !height || width > MAX_SIDE || height > MAX_SIDE) return { ok: false, reason: `画像の大きさは縦横 ${MAX_SIDE} ピクセル以内にしてください` };
  if (bytes.toString('latin1', bytes.length - 8, bytes.length - 4) !== 'IEND') return { ok: false, reason: 'PNG ファイルが途中で切れています' };
  return { ok: true, type: 'image/png' };
}

/** Drawing elements only: no script, no foreignObject (HTML), no image/feImage (outside files), no animation (it can rewrite href). */
const SVG_ELEMENTS = new Set(
  [
    'svg',
    'g',
    'path',
    'rect',
    'circle',
    'ellipse',
    'line',
    'polyline',
    'polygon',
    'text',
    'tspan',
    'textPath',
    'defs',
    'symbol',
    'use',
    'linearGradient',
    'radialGradient',
    'stop',
    'pattern',
    'clipPath',
    'mask',
    'title',
    'desc',
    'metadata',
    'style',
    'marker',
  ].map((n) => n.toLowerCase()),
);
/** Editors' own namespaces (Inkscape, Illustrator's RDF metadata): never rendered. */
const EDITOR_PREFIXES = new Set(['sodipodi', 'inkscape', 'rdf', 'cc', 'dc', 'x', 'i']);
const PREDEFINED_ENTITY = /&(amp|lt|gt|quot|apos);/g;

/** Why an SVG is refused, or null: a small scanner of its tags, refusing whatever it does not understand. */
export function checkSvg(text: string): string | null {
  let i = 0;
  const stack: string[] = [];
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.replace(PREDEFINED_ENTITY, '').includes('&')) return '文字参照（&…;）は使えません';
    if (stack[stack.length - 1] === 'style') {
      const css = cssProblem(chunk);
      if (css) return css;
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return 'コメントが閉じていません';
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?xml', lt) && lt === text.search(/\S/)) {
      const end = text.indexOf('?>', lt);
      if (end < 0) return 'XML 宣言が閉じていません';
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!', lt) || text.startsWith('<?', lt)) return 'DOCTYPE・CDATA・処理命令は使えません';
    const close = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(lt, lt + 200));
    if (close) {
      if (stack.pop() !== close[1].toLowerCase()) return `要素 ${close[1]} の閉じ方が正しくありません`;
      i = lt + close[0].length;
      continue;
    }
    const open = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(lt, lt + 200));
    if (!open) return '「<」の使い方が正しくありません';
    const name = open[1];
    const [prefix, local] = name.includes(':') ? name.split(':', 2) : [null, name];
    if (prefix === null ? !SVG_ELEMENTS.has(local.toLowerCase()) : !EDITOR_PREFIXES.has(prefix)) return `要素 <${name}> は使えません`;
    i = lt + open[0].length;
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w:.-]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(text.slice(i));
      if (attr) {
        const problem = attributeProblem(attr[1], attr[2].slice(1, -1));
        if (problem) return problem;
        i += attr[0].length;
        continue;
      }
      const end = /^\s*(\/?)>/.exec(text.slice(i));
      if (!end) return `要素 <${name}> の属性が正しくありません`;
      i += end[0].length;
      if (!end[1]) stack.push(name.toLowerCase());
      break;
    }
  }
  if (stack.length) return `要素 <${stack[stack.length - 1]}> が閉じていません`;
  return null;
}

function attributeProblem(name: string, value: string): string | null {
  const lower = name.toLowerCase();
  if (lower.startsWith('on')) return `属性 ${name}（スクリプト）は使えません`;
  if (value.replace(PREDEFINED_ENTITY, '').includes('&')) return '文字参照（&…;）は使えません';
  if ((lower === 'href' || lower.endsWith(':href')) && !/^#[\w.-]+$/.test(value)) return `属性 ${name} は同じファイルの中（#…）しか指せません`;
  if (lower === 'style') return cssProblem(value);
  if (/url\s*\(/i.test(value) && !/^\s*url\(\s*#[\w.-]+\s*\)\s*$/.test(value)) return `属性 ${name} の url() は同じファイルの中（#…）しか指せません`;
  if (/(javascript|vbscript|data)\s*:/i.test(value) && !lower.startsWith('xmlns')) return `属性 ${name} の値は使えません`;
  return null;
}

function cssProblem(css: string): string | null {
  if (/@import|expression\s*\(|\\|javascript:|behavior\s*:|-moz-binding/i.test(css)) return 'スタイルに外部の読み込みやスクリプトは使えません';
  for (const m of css.matchAll(/url\s*\(([^)]*)\)/gi))
    if (!/^\s*['"]?#[\w.-]+['"]?\s*$/.test(m[1])) return 'スタイルの url() は同じファイルの中（#…）しか指せません';
  return null;
}
