/**
 * A municipality's own profile (issue #20): what its administrator edits on 団体設定 and what its
 * mails and public pages show. The rules are plain code shared by the API (422 naming the field)
 * and the settings page (the same message before sending).
 */

/** The fields of the profile a municipality edits, with their Japanese labels (the 地方公共団体コード is not one: it is shown, never edited). */
export const TENANT_PROFILE_FIELDS = ['name', 'mailFrom', 'contactName', 'contactPhone', 'contactEmail'] as const;
export type TenantProfileField = (typeof TENANT_PROFILE_FIELDS)[number];

export const TENANT_PROFILE_LABELS: Record<TenantProfileField | 'logo' | 'code', string> = {
  name: '団体名',
  code: '地方公共団体コード',
  mailFrom: 'メールの差出人',
  contactName: '担当課名',
  contactPhone: '電話番号',
  contactEmail: '問い合わせ先メールアドレス',
  logo: 'ロゴ',
};

/** The image types a logo may be, with what the page says of them. */
export const LOGO_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const LOGO_TYPE_LABELS: Record<LogoType, string> = { 'image/png': 'PNG', 'image/svg+xml': 'SVG' };
/** Bytes (the database refuses more too, migration 1732000011900). */
export const MAX_LOGO_BYTES = 256 * 1024;

const MAX_LENGTH: Record<TenantProfileField, number> = { name: 100, mailFrom: 200, contactName: 100, contactPhone: 30, contactEmail: 200 };

/** A plain address: local@domain.tld, ASCII, no spaces or angle brackets (what an SMTP envelope carries). */
export function isMailAddress(text: string): boolean {
  if (text.length > 200) return false;
  const m = /^([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$/.exec(text);
  return !!m && !m[1].startsWith('.') && !m[1].endsWith('.') && !m[1].includes('..');
}

/** A mail sender as a From header takes it: `address` or `表示名 <address>`; null when it is not one. */
export function parseMailbox(text: string): { displayName: string | null; address: string } | null {
  if (/[\r\n\0]/.test(text)) return null;
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(text.trim());
  if (!angle) return isMailAddress(text.trim()) ? { displayName: null, address: text.trim() } : null;
  const name = angle[1].trim().replace(/^"(.*)"$/, '$1');
  if (/[<>"]/.test(name) || !isMailAddress(angle[2].trim())) return null;
  return { displayName: name || null, address: angle[2].trim() };
}

export interface ProfileProblem {
  field: TenantProfileField;
  message: string;
}

/**
 * What is wrong with the given fields (undefined: not given; null or '': cleared, except the
 * name, which a municipality always has). Each message names its field's label.
 */
export function tenantProfileProblems(input: Partial<Record<TenantProfileField, string | null>>): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const say = (field: TenantProfileField, message: string) => problems.push({ field, message: `${TENANT_PROFILE_LABELS[field]}${message}` });
  for (const field of TENANT_PROFILE_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null || value.trim() === '') {
      if (field === 'name') say(field, 'を入力してください');
      continue;
    }
    if (value.length > MAX_LENGTH[field]) say(field, `は${MAX_LENGTH[field]}文字以内で入力してください`);
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    else if (/[\u0000-\u001f\u007f]/.test(value)) say(field, 'に改行や制御文字は使えません');
    else if (field === 'mailFrom' && !parseMailbox(value))
      say(field, 'はメールアドレス（例: hyoka@city.example.lg.jp）か「表示名 <メールアドレス>」の形で入力してください');
    else if (field === 'contactEmail' && !isMailAddress(value.trim())) say(field, 'は正しいメールアドレスで入力してください（例: kikaku@city.example.lg.jp）');
    else if (field === 'contactPhone' && !/^\+?[0-9０-９][0-9０-９\-‐－() （）]*[0-9０-９]$/.test(value.trim()))
      say(field, 'は数字とハイフンで入力してください（例: 03-1234-5678）');
  }
  return problems;
}

/**
 * What the owner's `npm run tenant:create` names beyond the profile (docs/tenancy.md "Adding a
 * tenant"), with the labels its refusals name. `code` and `prefecture` are 地方公共団体コード.
 */
export const TENANT_CREATION_LABELS: Record<TenantProfileField | 'code' | 'prefecture' | 'publicUrl' | 'adminEmail', string> = {
  ...TENANT_PROFILE_LABELS,
  prefecture: '所属する都道府県の団体コード',
  publicUrl: '公開サイトのURL',
  adminEmail: '最初の管理者のメールアドレス',
};

/**
 * A prefecture's own 全国地方公共団体コード: its two digits (JIS X 0401), then 000 where a
 * municipality has its number within the prefecture, then the check digit (110001 埼玉県).
 */
export function isPrefectureCode(code: string): boolean {
  return /^\d{2}000\d$/.test(code);
}

/** Whether a municipality's code lies in a prefecture's: the same first two digits (112259 入間市 in 110001 埼玉県). */
export function inPrefecture(code: string, prefectureCode: string): boolean {
  return /^\d{6}$/.test(code) && code.slice(0, 2) === prefectureCode.slice(0, 2);
}
