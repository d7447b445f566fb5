import * as bcrypt from 'bcryptjs';
import { hashPassword, verifyPassword } from './password-hash';

const LOW = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('stores scrypt$N$r$p$salt$hash with a fresh salt, and verifies only the same password', async () => {
    const a = await hashPassword('春の小川は さらさら', LOW);
    const b = await hashPassword('春の小川は さらさら', LOW);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('春の小川は さらさら', a, LOW)).toEqual({ ok: true, rehash: false });
    expect(await verifyPassword('春の小川は さらさら ', a, LOW)).toEqual({ ok: false, rehash: false });
  });

  it('treats the composed and decomposed forms of a character as the same password', async () => {
    const hash = await hashPassword('パスワード-がぎぐ', LOW);
    expect((await verifyPassword('パスワード-がぎぐ'.normalize('NFD'), hash, LOW)).ok).toBe(true);
  });

  it('verifies old bcrypt hashes and asks for a re-hash, and re-hashes scrypt only towards a higher cost', async () => {
    const legacy = await bcrypt.hash('Old-Passw0rd', 4);
    expect(await verifyPassword('Old-Passw0rd', legacy, LOW)).toEqual({ ok: true, rehash: true });
    expect(await verifyPassword('old-passw0rd', legacy, LOW)).toEqual({ ok: false, rehash: false });
    const low = await hashPassword('x-passw0rd-x', LOW);
    expect(await verifyPassword('x-passw0rd-x', low, { ...LOW, N: 2048 })).toEqual({ ok: true, rehash: true });
    const high = await hashPassword('x-passw0rd-x', { ...LOW, N: 2048 });
    expect(await verifyPassword('x-passw0rd-x', high, LOW)).toEqual({ ok: true, rehash: false });
  });

  it('never matches a malformed or absurd stored value', async () => {
    const good = await hashPassword('x-passw0rd-x', LOW);
    const [, , r, p, salt, key] = good.split('$');
    for (const stored of [
      '',
      'plain-text',
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`, // would allocate 128 GiB
      `scrypt$1024$${r}$${p}$${salt}$${key.slice(0, 20)}`, // truncated
      `scrypt$1024$${r}$${p}$${salt}`,
    ]) {
      expect([stored, await verifyPassword('x-passw0rd-x', stored, LOW)]).toEqual([stored, { ok: false, rehash: false }]);
    }
  });
});
