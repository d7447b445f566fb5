/**
 * Passwords a person may choose or be given: at least 10 characters, at most 128 (scrypt takes
 * any length; the bound keeps a pasted document out of the hash and the form), not the login,
 * not a run of one character, and none of the passwords every guessing list starts with.
 * Characters, not bytes: a Japanese passphrase counts as long as it reads.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set(
  [
    'password',
    'password1',
    'password12',
    'password123',
    'passw0rd',
    'p@ssw0rd',
    'p@ssword',
    'password!',
    '12345678',
    '123456789',
    '1234567890',
    '0123456789',
    '11111111',
    '00000000',
    '87654321',
    '987654321',
    'qwerty',
    'qwertyuiop',
    'qwerty123',
    'qwerty1234',
    'asdfghjkl',
    'zxcvbnm',
    '1q2w3e4r',
    '1q2w3e4r5t',
    'qazwsxedc',
    'iloveyou',
    'sunshine',
    'princess',
    'football',
    'baseball',
    'welcome',
    'welcome1',
    'welcome123',
    'letmein',
    'letmein123',
    'admin',
    'admin123',
    'admin1234',
    'administrator',
    'changeme',
    'changeme123',
    'default',
    'secret',
    'secret123',
    'abc123',
    'abcd1234',
    'abcdefgh',
    'abcdefghij',
    'monkey',
    'dragon',
    'master',
    'trustno1',
    'superman',
    'hyoka',
    'hyoka-cycle',
    'hyokacycle',
  ].map((p) => p.toLowerCase()),
);

export function passwordProblem(password: string, login?: string | null): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `パスワードは${PASSWORD_MIN_LENGTH}文字以上にしてください`;
  if (length > PASSWORD_MAX_LENGTH) return `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[0-9!@#$%^&*._-]+$/, ''))) return 'よく使われるパスワードは使用できません';
  if (/^(.)\1+$/u.test(password)) return '同じ文字の繰り返しはパスワードに使用できません';
  if (login && lower.includes(login.toLowerCase())) return 'ログインIDを含むパスワードは使用できません';
  return null;
}
