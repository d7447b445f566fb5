import type { EntityManager } from 'typeorm';

/** Anything that runs SQL: the owner's DataSource, or an EntityManager of its transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** A municipality's row as the owner registers it (`npm run tenant:create`). */
export interface TenantRegistration {
  code: string;
  name: string;
  prefectureId: number | null;
  mailFrom: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  publicUrl: string | null;
}

export interface RegisteredTenant extends TenantRegistration {
  id: number;
  /** The 地方公共団体コード of the prefecture it belongs to, or null. */
  prefectureCode: string | null;
}

const COLUMNS = `t.id, t.code, t.name, t.prefecture_id AS "prefectureId", p.code AS "prefectureCode", t.mail_from AS "mailFrom",
  t.contact_name AS "contactName", t.contact_phone AS "contactPhone", t.contact_email AS "contactEmail", t.public_url AS "publicUrl"`;

/**
 * The tenant of a 地方公共団体コード, whatever tenant the session runs as: for the owner only
 * (tenants is ENABLE without FORCE ROW LEVEL SECURITY, so its owner reads every row; the
 * application's role sees itself alone and uses TenantsService.byCode).
 */
export async function registeredTenant(q: Queryable, code: string): Promise<RegisteredTenant | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM tenants t LEFT JOIN tenants p ON p.id = t.prefecture_id WHERE t.code = $1`, [code]);
  return row ?? null;
}

/**
 * Inserts a municipality, its id chosen by the identity (an explicit one would leave the identity
 * behind: docs/tenancy.md). The owner's only: the application's role may not insert tenants.
 */
export async function registerTenant(q: Queryable, t: TenantRegistration): Promise<number> {
  const [row] = await q.query(
    `INSERT INTO tenants (code, name, prefecture_id, mail_from, contact_name, contact_phone, contact_email, public_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [t.code, t.name, t.prefectureId, t.mailFrom, t.contactName, t.contactPhone, t.contactEmail, t.publicUrl],
  );
  return row.id;
}
