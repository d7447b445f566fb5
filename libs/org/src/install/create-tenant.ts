import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { AppConfig, isMunicipalityCode } from '@app/config';
// The file, not @app/cycles: libs/cycles imports libs/org, and only this script needs the mirror.
import { mirrorBuiltinScales } from '@app/cycles/rating-scales.service';
import { RegisteredTenant, registeredTenant, registerTenant, runInTenant, TenantRegistration } from '@app/database';
import { inPrefecture, isMailAddress, isPrefectureCode, TENANT_CREATION_LABELS, tenantProfileProblems, TenantProfileField } from '@app/domain';
import { createFirstAdministrator, FirstAdministrator } from './first-administrator';

/** What the operator gives `npm run tenant:create` (empty optional values are not given). */
export interface TenantInput {
  code: string;
  name: string;
  mailFrom?: string;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  /** The 地方公共団体コード of the prefecture (a tenant already) the municipality belongs to. */
  prefecture?: string;
  publicUrl?: string;
  /** The first administrator's mail address (lock notices go there). */
  email?: string;
}

/** The command line option of each input, as the refusals name it. */
export const TENANT_INPUT_OPTIONS: Record<keyof TenantInput, string> = {
  code: '--code',
  name: '--name',
  mailFrom: '--mail-from',
  contactName: '--contact-name',
  contactPhone: '--contact-phone',
  contactEmail: '--contact-email',
  prefecture: '--prefecture',
  publicUrl: '--public-url',
  email: '--email',
};

export interface TenantCreation {
  tenantId: number;
  code: string;
  name: string;
  /** The tenants row was inserted now (false: the code was registered with these values already). */
  created: boolean;
  /** Created now, with its one-time password; null: the tenant has an active administrator. */
  admin: FirstAdministrator | null;
}

/** The Japanese label of each input (libs/domain's; the administrator's address is `email` here). */
const LABEL_OF: Record<keyof TenantInput, string> = { ...TENANT_CREATION_LABELS, email: TENANT_CREATION_LABELS.adminEmail };

const refuse = (field: keyof TenantInput, message: string, kind: 'invalid' | 'not_found' | 'conflict' = 'invalid') =>
  new DomainError(kind, `${TENANT_INPUT_OPTIONS[field]}: ${message}`, { field });

/** A 全国地方公共団体コード, checked as config/ checks MUNICIPALITY_CODE (its check digit). */
function codeProblem(field: 'code' | 'prefecture', code: string): DomainError | null {
  const label = LABEL_OF[field];
  if (!/^\d{6}$/.test(code)) return refuse(field, `${label}は6桁の数字で入力してください（例: 131016）`);
  if (!isMunicipalityCode(code)) return refuse(field, `${label} ${code} の検査数字（6桁目）が合いません。全国地方公共団体コードを確かめてください`);
  return null;
}

/** The row the input makes (trimmed, empty optional values null), or the first problem, naming its option and label. */
function registrationOf(input: TenantInput): Omit<TenantRegistration, 'prefectureId'> {
  const given = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());
  const code = (input.code ?? '').trim();
  const bad = codeProblem('code', code);
  if (bad) throw bad;
  const name = (input.name ?? '').trim();
  const profile: Record<TenantProfileField, string | null> = {
    name,
    mailFrom: given(input.mailFrom),
    contactName: given(input.contactName),
    contactPhone: given(input.contactPhone),
    contactEmail: given(input.contactEmail),
  };
  const [problem] = tenantProfileProblems(profile);
  if (problem) throw refuse(problem.field, problem.message);
  const publicUrl = given(input.publicUrl);
  if (publicUrl !== null && !isWebAddress(publicUrl))
    throw refuse('publicUrl', `${LABEL_OF.publicUrl}は http:// か https:// で始まるアドレスで入力してください（例: https://hyoka.city.example.lg.jp）`);
  const email = given(input.email);
  if (email !== null && !isMailAddress(email)) throw refuse('email', `${LABEL_OF.email}は正しいメールアドレスで入力してください（例: it@city.example.lg.jp）`);
  return { ...profile, code, name, publicUrl };
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname && /^https?:\/\//.test(text);
  } catch {
    return false;
  }
}

/** The prefecture tenant a municipality names (its code checked, registered, a prefecture's, the municipality's own). */
async function prefectureOf(dataSource: DataSource, code: string, prefecture: string): Promise<RegisteredTenant> {
  const bad = codeProblem('prefecture', prefecture);
  if (bad) throw bad;
  const label = LABEL_OF.prefecture;
  if (!isPrefectureCode(prefecture))
    throw refuse('prefecture', `${label} ${prefecture} は都道府県のコードではありません（都道府県のコードは 110001 のように3〜5桁目が 000 です）`);
  if (isPrefectureCode(code)) throw refuse('prefecture', `${TENANT_CREATION_LABELS.code} ${code} は都道府県のコードです。都道府県は都道府県に属しません`);
  if (!inPrefecture(code, prefecture))
    throw refuse('prefecture', `${TENANT_CREATION_LABELS.code} ${code} は ${label} ${prefecture} の市区町村のコードではありません（上2桁が違います）`);
  const found = await registeredTenant(dataSource, prefecture);
  if (!found) throw refuse('prefecture', `${label} ${prefecture} の団体は登録されていません。先に都道府県を tenant:create で作成してください`, 'not_found');
  return found;
}

/** The given values that differ from the registered row's (a second run may not change a municipality). */
function differences(existing: RegisteredTenant, row: Omit<TenantRegistration, 'prefectureId'>, prefecture: string | null): (keyof TenantInput)[] {
  const fields: (keyof TenantInput)[] = [];
  if (existing.name !== row.name) fields.push('name');
  for (const f of ['mailFrom', 'contactName', 'contactPhone', 'contactEmail', 'publicUrl'] as const) {
    if (row[f] !== null && row[f] !== existing[f]) fields.push(f);
  }
  if (prefecture !== null && prefecture !== existing.prefectureCode) fields.push('prefecture');
  return fields;
}

/**
 * A new municipality (tenant) and its first administrator, as the owner (DB_MIGRATION_USER: the
 * application's role may not insert tenants): the tenants row (id from its identity), audited as
 * `tenant.create` in the new tenant; the built-in rating scales mirrored into it; and `admin` with
 * a one-time password inside it (createFirstAdministrator, audited as `user.create`), all written
 * as that tenant (runInTenant), so no row lands in tenant 1.
 *
 * Idempotent: a code registered with the same values adds nothing and answers `created: false`
 * (and `admin: null` when the tenant has an active administrator; one is created when an earlier
 * run stopped before it). A registered code given another name, or another value of a field,
 * is refused: a municipality is not renamed here (its administrator edits the profile on 団体設定).
 * Bad input is a DomainError naming the option and its Japanese label; nothing is written then.
 */
export async function createTenant(dataSource: DataSource, config: AppConfig, input: TenantInput): Promise<TenantCreation> {
  const row = registrationOf(input);
  const prefectureCode = (input.prefecture ?? '').trim() || null;
  const prefecture = prefectureCode ? await prefectureOf(dataSource, row.code, prefectureCode) : null;
  const { tenantId, created } = await dataSource.transaction(async (em) => {
    // Two operators at once make one tenant; the second sees it registered.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('hyoka-tenant-create'))`);
    const existing = await registeredTenant(em, row.code);
    if (existing) {
      const changed = differences(existing, row, prefectureCode);
      if (changed.length) {
        const what = changed.map((f) => `${LABEL_OF[f]}（${TENANT_INPUT_OPTIONS[f]}）`).join('、');
        throw refuse(
          changed[0],
          `${TENANT_CREATION_LABELS.code} ${row.code} は「${existing.name}」として登録済みです。${what}が登録内容と違います。` +
            '登録済みの団体はここでは変更しません（団体名などは団体の管理者が団体設定で変更します）',
          'conflict',
        );
      }
      return { tenantId: existing.id, created: false };
    }
    const id = await registerTenant(em, { ...row, prefectureId: prefecture?.id ?? null });
    await runInTenant(id, () =>
      new AuditService(dataSource).record(em, {
        actorUserId: null,
        action: 'tenant.create',
        subjectType: 'tenant',
        subjectId: id,
        after: { ...row, prefectureCode },
        comment: '運用者のコマンド（tenant:create）による団体の登録',
      }),
    );
    return { tenantId: id, created: true };
  });
  const admin = await runInTenant(tenantId, async () => {
    await mirrorBuiltinScales(dataSource);
    return createFirstAdministrator(dataSource, config, (input.email ?? '').trim(), '団体の登録時の最初の管理者（一時パスワード）');
  });
  return { tenantId, code: row.code, name: row.name, created, admin };
}
