import { parseIsoDate } from '../calendar/iso-date';
import { eraOfDate } from '../periods/era';
import type { FormField } from './form-field';

/**
 * A number as a clerk types it: full-width digits, commas, a full-width minus and spaces are
 * normalised, not refused ("１，２３４" is 1234). Returns NaN when it is not a number.
 */
export function parseTypedNumber(raw: string): number {
  const s = raw
    .normalize('NFKC')
    .replace(/[,\s]/g, '')
    .replace(/[−ー―‐]/g, '-');
  if (s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

export interface ValueProblem {
  message: string;
}

/**
 * A field's value normalised for storage, or the reason it cannot be. Null means "no value"
 * (an empty string, an empty list). Lengths are in characters (code points).
 */
export function normaliseFieldValue(field: FormField, raw: unknown): { value: unknown } | ValueProblem {
  const name = `${field.label}(${field.key})`;
  if (raw === null || raw === undefined) return { value: null };
  switch (field.type) {
    case 'short_text':
    case 'long_text': {
      if (typeof raw !== 'string') return { message: `${name}は文字列で入力してください` };
      if (raw.includes('\u0000')) return { message: `${name}に使用できない文字(NUL)が含まれています` };
      if (field.type === 'short_text' && /[\r\n]/.test(raw)) return { message: `${name}は1行で入力してください` };
      const length = [...raw].length;
      if (field.maxLength !== undefined && length > field.maxLength) {
        return { message: `${name}は${field.maxLength}文字以内で入力してください(現在${length}文字)` };
      }
      return { value: raw.trim() === '' ? null : raw };
    }
    case 'number':
    case 'money': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? (raw.trim() === '' ? null : parseTypedNumber(raw)) : NaN;
      if (n === null) return { value: null };
      if (!Number.isFinite(n)) return { message: `${name}は数値で入力してください` };
      const decimals = field.decimals ?? 0;
      if (Math.round(n * 10 ** decimals) / 10 ** decimals !== n) {
        return { message: decimals === 0 ? `${name}は整数で入力してください` : `${name}は小数${decimals}桁までで入力してください` };
      }
      if (field.min !== undefined && n < field.min) return { message: `${name}は${field.min}以上で入力してください` };
      if (field.max !== undefined && n > field.max) return { message: `${name}は${field.max}以下で入力してください` };
      return { value: n };
    }
    case 'date': {
      if (typeof raw !== 'string') return { message: `${name}は日付(YYYY-MM-DD)で入力してください` };
      if (raw.trim() === '') return { value: null };
      if (!isValidIsoDate(raw)) return { message: `${name}は日付(YYYY-MM-DD)で入力してください` };
      return { value: raw };
    }
    case 'single_choice': {
      if (raw === '') return { value: null };
      if (typeof raw !== 'string' || !(field.options ?? []).some((o) => o.value === raw)) {
        return { message: `${name}の「${String(raw)}」は選択肢にありません` };
      }
      return { value: raw };
    }
    case 'multi_choice': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return { message: `${name}は選択肢の一覧で指定してください` };
      const unknown = raw.filter((v) => !(field.options ?? []).some((o) => o.value === v));
      if (unknown.length) return { message: `${name}の「${unknown.join('、')}」は選択肢にありません` };
      const unique = (field.options ?? []).map((o) => o.value).filter((v) => raw.includes(v));
      if (field.maxSelections !== undefined && unique.length > field.maxSelections) {
        return { message: `${name}は${field.maxSelections}つまで選択できます` };
      }
      return { value: unique.length ? unique : null };
    }
    case 'yes_no':
      if (typeof raw !== 'boolean') return { message: `${name}は「はい」か「いいえ」で指定してください` };
      return { value: raw };
    case 'rating':
    case 'kpi_table':
      // Kept in their own columns and checked by the entry's validation.
      return { value: raw };
  }
}

/** A stored value as the reports print it: era dates, choice labels, thousands separators. */
export function displayFieldValue(field: FormField, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'number':
    case 'money':
      return typeof value === 'number' ? value.toLocaleString('ja-JP', { maximumFractionDigits: field.decimals ?? 0 }) : String(value);
    case 'date':
      return typeof value === 'string' ? eraDateLabel(value) : String(value);
    case 'single_choice':
      return (field.options ?? []).find((o) => o.value === value)?.label ?? String(value);
    case 'multi_choice':
      return Array.isArray(value) ? value.map((v) => (field.options ?? []).find((o) => o.value === v)?.label ?? String(v)).join('、') : String(value);
    case 'yes_no':
      return value === true ? 'はい' : value === false ? 'いいえ' : '';
    default:
      return String(value);
  }
}

/** 2024-10-01 → 令和6年10月1日. */
export function eraDateLabel(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const era = eraOfDate(y, m, d);
  return `${era.era}${era.year === 1 ? '元' : era.year}年${m}月${d}日`;
}

function isValidIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

/** displayFieldValue with the unit a reader needs beside a number: 1,200千円, 2.5人. */
export function displayWithUnit(field: FormField, value: unknown): string {
  const text = displayFieldValue(field, value);
  if (!text || typeof value !== 'number') return text;
  return field.type === 'money' ? `${text}千円` : field.type === 'number' && field.unit ? `${text}${field.unit}` : text;
}
