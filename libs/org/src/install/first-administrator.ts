import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { hashPassword, scryptParams } from '@app/auth';
import type { AppConfig } from '@app/config';
import { passwordProblem } from '@app/domain';

/** Letters and digits nobody misreads on a printout (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 random characters in four groups (about 79 bits): typed once, then replaced. */
export function oneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

export interface FirstAdministrator {
  login: string;
  /** Printed once by the installer; never stored but as its hash. */
  oneTimePassword: string;
}

export const FIRST_ADMIN_LOGIN = 'admin';

/**
 * The production install's only user: `admin` with a random one-time password that must be
 * changed at first sign-in (password_change_required), audited as user.create by nobody.
 * Nothing when an active administrator exists already (re-running the installer never adds a
 * second one, nor resets the first). No demo data.
 *
 * In the tenant the caller runs as (runInTenant: the installer's tenant 1, tenant:create's new
 * one), and only that tenant's users count: the owner, a superuser locally, is exempt from
 * row-level security and would otherwise see another municipality's administrator.
 */
export async function createFirstAdministrator(
  dataSource: DataSource,
  config: AppConfig,
  email = '',
  comment = 'インストール時の最初の管理者（一時パスワード）',
): Promise<FirstAdministrator | null> {
  const password = oneTimePassword();
  const problem = passwordProblem(password, FIRST_ADMIN_LOGIN);
  if (problem) throw new Error(`generated one-time password refused by the policy: ${problem}`);
  const hash = await hashPassword(password, scryptParams(config));
  return dataSource.transaction(async (em) => {
    // Two installers at once make one administrator.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('hyoka-first-admin'))`);
    const [existing] = await em.query(`SELECT login FROM users WHERE tenant_id = app_tenant() AND active AND 'admin' = ANY(roles) ORDER BY id LIMIT 1`);
    if (existing) return null;
    const [taken] = await em.query(`SELECT id FROM users WHERE tenant_id = app_tenant() AND login = $1`, [FIRST_ADMIN_LOGIN]);
    if (taken) throw new Error(`a user named ${FIRST_ADMIN_LOGIN} exists but is no active administrator: make it one in the database, then sign in`);
    const [row] = await em.query(
      `INSERT INTO users (login, name, email, section_id, roles, password_hash, password_change_required, active)
       VALUES ($1, 'システム管理者', $2, NULL, '{admin}', $3, true, true) RETURNING id`,
      [FIRST_ADMIN_LOGIN, email, hash],
    );
    await new AuditService(dataSource).record(em, {
      actorUserId: null,
      action: 'user.create',
      subjectType: 'user',
      subjectId: row.id,
      after: { login: FIRST_ADMIN_LOGIN, roles: ['admin'], email, passwordChangeRequired: true },
      comment,
    });
    return { login: FIRST_ADMIN_LOGIN, oneTimePassword: password };
  });
}

/**
 * What the installer and tenant:create say of the first administrator: progress on stderr, and
 * the credential once on stdout as ADMIN_LOGIN= / ADMIN_ONE_TIME_PASSWORD= lines, so the caller
 * can show it without writing it to a log.
 */
export function reportFirstAdministrator(admin: FirstAdministrator | null): void {
  if (!admin) {
    console.error('管理者は登録済みです。何も追加していません / an administrator exists: nothing added');
    return;
  }
  console.error('最初の管理者を作成しました。一時パスワードは一度だけ表示されます。初回ログイン時に変更が必要です。');
  console.log(`ADMIN_LOGIN=${admin.login}`);
  console.log(`ADMIN_ONE_TIME_PASSWORD=${admin.oneTimePassword}`);
}
