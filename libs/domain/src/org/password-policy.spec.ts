import { passwordProblem } from './password-policy';

describe('password policy', () => {
  it('refuses short, common, repeated, over-long and login-based passwords', () => {
    expect(passwordProblem('short')).toBe('パスワードは10文字以上にしてください');
    expect(passwordProblem('12345678')).toBe('パスワードは10文字以上にしてください');
    expect(passwordProblem('password123')).toBe('よく使われるパスワードは使用できません');
    expect(passwordProblem('Qwertyuiop!')).toBe('よく使われるパスワードは使用できません');
    expect(passwordProblem('aaaaaaaaaaaa')).toBe('同じ文字の繰り返しはパスワードに使用できません');
    expect(passwordProblem('春'.repeat(64) + 'の小川は' + 'さ'.repeat(61))).toBe('パスワードは128文字以内にしてください');
    expect(passwordProblem('kacho-2024-spring', 'kacho')).toBe('ログインIDを含むパスワードは使用できません');
  });

  it('accepts a reasonable one', () => {
    expect(passwordProblem('New-Passw0rd!')).toBeNull();
    expect(passwordProblem('secret-pass')).toBeNull();
    expect(passwordProblem('春の小川は さらさら行くよ')).toBeNull();
    // Past bcrypt's 72 bytes (25 characters × 3 bytes), which no longer bounds a password.
    expect(passwordProblem('日本語のパスワードは二十五文字を超えるとバイト数で七十二を超えてしまう')).toBeNull();
    expect(passwordProblem('x1'.repeat(64))).toBeNull();
  });
});
