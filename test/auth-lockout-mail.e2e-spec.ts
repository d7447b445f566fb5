import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { bearer, createUser, userWithToken } from './utils/factories';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * The user whose account locks is told by mail: the lock writes a notice row in its request
 * (nothing is sent there), and the worker mails it through SMTP to the real sink. Sign-in and
 * the password-change endpoint count against the same lock, either way round.
 */
describe('auth: the locked user is mailed', () => {
  let t: TestApp;
  const sink = new SmtpSink();
  let worker: INestApplicationContext | null = null;
  const PUBLIC_URL = 'https://hyoka.example.jp';
  const login = (loginId: string, password: string) => t.http().post('/api/auth/login').send({ login: loginId, password });
  // The lock's notice in the one mail outbox (kind 'notice', payload type 'account_locked').
  const notices = () =>
    t.db.query(
      `SELECT u.login, n.status, u.email AS to_address FROM reminder_mails n JOIN users u ON u.id = n.recipient_user_id
        WHERE n.kind = 'notice' AND n.payload ->> 'type' = 'account_locked' ORDER BY n.id`,
    );

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL,
      ACCOUNT_LOCKOUT_ATTEMPTS: '3',
      ACCOUNT_LOCKOUT_SECONDS: '900',
      LOGIN_RATE_LIMIT: '1000',
      REMINDER_RELAY_EVERY_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  it('queues the mail in the request and the worker sends it to the locked user, once', async () => {
    await createUser(t, { login: 'kacho', roles: ['chief'], name: '所沢 課長' });
    for (let i = 0; i < 3; i++) await login('kacho', 'wrong-password').expect(401);
    await login('kacho', 'password').expect(423);
    await login('kacho', 'wrong-again').expect(423);
    // Nothing was sent during the requests: the row waits for the worker.
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages).toHaveLength(0);
    expect(await notices()).toEqual([{ login: 'kacho', status: 'pending', to_address: 'kacho@example.jp' }]);

    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= 1);
    const [mail] = sink.messages;
    expect(mail.envelope.to).toEqual(['kacho@example.jp']);
    expect(mail.subject).toBe('【評価サイクル】アカウントがロックされました');
    expect(mail.messageId).toMatch(/^<reminder-\d+@hyoka>$/);
    expect(mail.text).toContain('所沢 課長 様');
    expect(mail.text).toContain('ログインID: kacho');
    expect(mail.text).toContain('パスワードの誤りが3回続いたため');
    expect(mail.text).toContain('約15分後に自動で解除されます');
    expect(mail.text).toContain('システム管理者にロックの解除を依頼してください');
    expect(mail.text).toContain(PUBLIC_URL);
    expect(mail.html).toContain('所沢 課長 様');
    // The row is marked sent right after the SMTP server's answer.
    for (let i = 0; i < 50 && (await notices())[0].status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await notices()).toEqual([{ login: 'kacho', status: 'sent', to_address: 'kacho@example.jp' }]);
    // Failures while it stays locked do not mail again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages).toHaveLength(1);
  });

  it('counts wrong current passwords on the change endpoint with failed sign-ins, and mails that lock too', async () => {
    const user = await userWithToken(t, { login: 'tanto', roles: ['staff'] });
    const change = (currentPassword: string) =>
      t.http().post('/api/auth/password').set(bearer(user.token)).send({ currentPassword, newPassword: 'Brand-New-Passw0rd' });
    await login('tanto', 'wrong-password').expect(401);
    await change('not-the-password').expect(422);
    await login('tanto', 'wrong-password').expect(401);
    // Two sign-ins and one change: the third failure in a row locks both ways in.
    await login('tanto', 'password').expect(423);
    await change('password').expect(423);
    await sink.waitFor(() => sink.to('tanto@example.jp').length >= 1);
    expect(sink.to('tanto@example.jp')).toHaveLength(1);
    const [audit] = await t.db.query(`SELECT comment FROM audit_log WHERE action = 'user.locked' AND subject_id = $1`, [String(user.id)]);
    expect(audit.comment).toBe('3回続けてログインに失敗');
  });

  it('the lock reached on the change endpoint is audited and mailed as well', async () => {
    const user = await userWithToken(t, { login: 'hancho', roles: ['staff'] });
    const change = (currentPassword: string) =>
      t.http().post('/api/auth/password').set(bearer(user.token)).send({ currentPassword, newPassword: 'Brand-New-Passw0rd' });
    for (let i = 0; i < 3; i++) await change('not-the-password').expect(422);
    await login('hancho', 'password').expect(423);
    await sink.waitFor(() => sink.to('hancho@example.jp').length >= 1);
    const [audit] = await t.db.query(`SELECT comment FROM audit_log WHERE action = 'user.locked' AND subject_id = $1`, [String(user.id)]);
    expect(audit.comment).toBe('3回続けてパスワード変更に失敗');
  });
});
