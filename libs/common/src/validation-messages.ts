import type { ValidationError } from 'class-validator';

export interface FieldMessage {
  field: string;
  message: string;
}

/** The number in class-validator's English message ("… longer than or equal to 8 characters"). */
const number = (english: string) => /(-?\d+(?:\.\d+)?)/.exec(english)?.[1] ?? '';
/** The list after "one of the following values: " in class-validator's message. */
const choices = (english: string) => english.split(': ').slice(1).join(': ');

/**
 * Japanese for class-validator's constraints, each message naming its field (the JSON path,
 * as clients send it). A constraint without a translation keeps class-validator's English,
 * a DTO's own message (`{ message }`) is kept as written.
 */
const JAPANESE: Record<string, (english: string) => string> = {
  whitelistValidation: () => 'この項目は受け付けていません(項目名を確認してください)',
  isDefined: () => '必須の項目です',
  isNotEmpty: () => '入力してください',
  isString: () => '文字列で入力してください',
  isInt: () => '整数で入力してください',
  isNumber: () => '数値で入力してください',
  isBoolean: () => 'true か false で入力してください',
  isEmail: () => 'メールアドレスの形式で入力してください',
  isArray: () => '配列で入力してください',
  isObject: () => 'オブジェクトで入力してください',
  nestedValidation: () => 'オブジェクトで入力してください',
  isIn: (e) => `次のいずれかを指定してください: ${choices(e)}`,
  isEnum: (e) => `次のいずれかを指定してください: ${choices(e)}`,
  minLength: (e) => `${number(e)}文字以上で入力してください`,
  maxLength: (e) => `${number(e)}文字以内で入力してください`,
  min: (e) => `${number(e)}以上の値を入力してください`,
  max: (e) => `${number(e)}以下の値を入力してください`,
  arrayMinSize: (e) => `${number(e)}件以上指定してください`,
  arrayMaxSize: (e) => `${number(e)}件以内で指定してください`,
  arrayNotEmpty: () => '1件以上指定してください',
  arrayUnique: () => '同じ値が重複しています',
  isISO8601: () => '日付(YYYY-MM-DD)で入力してください',
  isDateString: () => '日付(YYYY-MM-DD)で入力してください',
  matches: () => '形式が正しくありません',
};

/** Every failed constraint of a validation, depth first, as "field: message". */
export function validationMessages(errors: ValidationError[], parent = ''): FieldMessage[] {
  const out: FieldMessage[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [key, english] of Object.entries(error.constraints ?? {})) {
      // class-validator's defaults are English and start with the property name; a DTO's own
      // (Japanese) message is already what the user should read.
      const isDefault = key === 'whitelistValidation' || (english.startsWith(`${error.property} `) && /^[\x20-\x7e]*$/.test(english));
      const text = isDefault && JAPANESE[key] ? JAPANESE[key](english) : english;
      out.push({ field, message: `${field}: ${text}` });
    }
    out.push(...validationMessages(error.children ?? [], field));
  }
  return out;
}
