import * as bcrypt from 'bcryptjs';
import type { Actor, EntryState, PlanKind, Role } from '@app/domain';
import { AuditService, type AuditRecord } from '@app/audit';
import { CyclesService, TemplatesService } from '@app/cycles';
import type { TestApp } from './test-app';
import { adminClient } from './test-database';

/**
 * The one test-data builder: every suite's departments, sections, users, plans, items,
 * templates, opened cycles, entries and delegations come from here, so the invariants the
 * application keeps hold in every fixture too:
 *   - a section always has its section_names row (the name history a rename closes);
 *   - a user has valid roles, an e-mail, the bcrypt hash of 'password' (re-hashed at first
 *     sign-in, as a migrated user's would be) and no pending password change;
 *   - a template and an opened cycle go through TemplatesService and CyclesService, so the
 *     cycle holds its rules (the cycles_rules_when_open CHECK) and its entries are those the
 *     opening creates;
 *   - an entry in a given state belongs to an opened cycle and to an item its section answers for.
 *
 * Where raw SQL is used (here only; specs do not INSERT): organisation and plan rows, users,
 * entries in a chosen state and delegations. The owning services would audit every row (the
 * audit-chain and report suites count audit rows), require a pending password change for
 * users, and reach an entry state only by walking its route; fixtures of hundreds of rows
 * would also take minutes. Templates and cycles are created by their services.
 */

let counter = 0;
const unique = () => `${process.pid.toString(36)}${(++counter).toString(36)}`;
let passwordHash: Promise<string> | undefined;
/** bcrypt of 'password' at the lowest cost: the api re-hashes it at the first sign-in. */
export const fixturePasswordHash = () => (passwordHash ??= bcrypt.hash('password', 4));

type CreateTemplateDto = Parameters<TemplatesService['create']>[0];

export interface NamePeriod {
  name: string;
  validFrom: string;
  validTo?: string | null;
  note?: string | null;
}

export interface EntryRow {
  id: number;
  version: number;
  state: EntryState;
  current_step: number;
  [column: string]: unknown;
}

export interface SignedIn {
  id: number;
  token: string;
}

export class Builder {
  constructor(private readonly t: TestApp) {}

  private async insert(table: string, row: Record<string, unknown>, returning = 'id'): Promise<Record<string, any>> {
    const columns = Object.keys(row).filter((k) => row[k] !== undefined);
    const [inserted] = await this.t.db.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${returning}`,
      columns.map((c) => row[c]),
    );
    return inserted;
  }

  async department(opts: { code?: string; name?: string; headUserId?: number } = {}): Promise<number> {
    const code = opts.code ?? `d${unique()}`;
    return (await this.insert('departments', { code, name: opts.name ?? `部${code}`, head_user_id: opts.headUserId })).id;
  }

  /**
   * A section with its name history: by default one period from 2020-04-01 under its name;
   * given `nameHistory`, the current name is the last period's.
   */
  async section(
    opts: { departmentId?: number; code?: string; name?: string; validFrom?: string; nameHistory?: NamePeriod[]; active?: boolean } = {},
  ): Promise<number> {
    const departmentId = opts.departmentId ?? (await this.department());
    const code = opts.code ?? `s${unique()}`;
    const history = opts.nameHistory ?? [{ name: opts.name ?? `課${code}`, validFrom: opts.validFrom ?? '2020-04-01' }];
    if (!history.length) throw new Error('a section needs at least one name period');
    const name = opts.name ?? history[history.length - 1].name;
    const { id } = await this.insert('sections', { department_id: departmentId, code, name, active: opts.active });
    for (const p of history) {
      await this.insert('section_names', { section_id: id, name: p.name, valid_from: p.validFrom, valid_to: p.validTo ?? null, note: p.note ?? null });
    }
    return id;
  }

  /** A user whose password is 'password'; `section` null for one outside every section (an evaluator, the planning office head). */
  async user(opts: {
    login?: string;
    roles: Role[];
    section?: number | null;
    name?: string;
    email?: string;
    staffNumber?: string;
    passwordHash?: string;
  }): Promise<number> {
    if (!opts.roles.length) throw new Error('a user needs at least one role');
    const login = opts.login ?? `u${unique()}`;
    const row = await this.insert('users', {
      login,
      name: opts.name ?? login,
      email: opts.email ?? `${login}@example.jp`,
      section_id: opts.section ?? null,
      roles: [...new Set(opts.roles)],
      password_hash: opts.passwordHash ?? (await fixturePasswordHash()),
      staff_number: opts.staffNumber,
    });
    return row.id;
  }

  /**
   * `count` users `${prefix}1` … `${prefix}<count>` of one section and role in one statement
   * (the reminder suites remind sixty people per slot). Answers their ids in login order.
   */
  async users(opts: { prefix: string; count: number; roles: Role[]; section: number | null; namePrefix?: string }): Promise<number[]> {
    const rows: { id: number }[] = await this.t.db.query(
      `INSERT INTO users (login, name, email, section_id, roles, password_hash)
       SELECT $1 || n, $2 || n, $1 || n || '@example.jp', $3, $4, $5 FROM generate_series(1, $6) n ORDER BY n RETURNING id`,
      [opts.prefix, opts.namePrefix ?? opts.prefix, opts.section, opts.roles, await fixturePasswordHash(), opts.count],
    );
    return rows.map((r) => r.id);
  }

  /** Signs in through the api as a user would; answers the bearer token. */
  async token(login: string, password = 'password'): Promise<string> {
    const res = await this.t.http().post('/api/auth/login').send({ login, password });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  /** user() and signed in. */
  async signedIn(opts: Parameters<Builder['user']>[0] & { login: string }): Promise<SignedIn> {
    const id = await this.user(opts);
    return { id, token: await this.token(opts.login) };
  }

  async plan(opts: { code?: string; name?: string; kind?: PlanKind; itemFields?: unknown[] } = {}): Promise<number> {
    const code = opts.code ?? `p${unique()}`;
    const row = await this.insert('plans', {
      code,
      name: opts.name ?? `計画${code}`,
      kind: opts.kind ?? 'program',
      item_fields: opts.itemFields === undefined ? undefined : JSON.stringify(opts.itemFields),
    });
    return row.id;
  }

  /**
   * A plan item and the sections that answer for it, in order (a section with `content` carries
   * its own 取組内容).
   */
  async item(opts: {
    planId: number;
    number: number;
    subNumber?: string;
    title?: string;
    chapter?: string;
    category?: string;
    content?: string | null;
    evaluator?: number | null;
    attributes?: Record<string, unknown>;
    sections: (number | { sectionId: number; content?: string })[];
  }): Promise<number> {
    const { id } = await this.insert('plan_items', {
      plan_id: opts.planId,
      number: opts.number,
      sub_number: opts.subNumber,
      title: opts.title ?? `項目${opts.number}`,
      chapter: opts.chapter,
      category: opts.category,
      content: opts.content,
      evaluator_user_id: opts.evaluator,
      attributes: opts.attributes === undefined ? undefined : JSON.stringify(opts.attributes),
    });
    for (const [sort, s] of opts.sections.entries()) {
      const link = typeof s === 'number' ? { sectionId: s } : s;
      await this.insert('plan_item_sections', { item_id: id, section_id: link.sectionId, sort, content: link.content }, 'item_id');
    }
    return id;
  }

  /**
   * `count` items numbered from `firstNumber`, each answered for by every one of `sections`, in
   * two statements (the race and load suites need hundreds). `evaluator(n)` names an item's
   * evaluator by its 1-based position. Answers the ids in number order.
   */
  async items(opts: {
    planId: number;
    count: number;
    firstNumber: number;
    title: string;
    sections: number[];
    evaluator?: (n: number) => number | null;
  }): Promise<number[]> {
    const evaluators = Array.from({ length: opts.count }, (_, i) => opts.evaluator?.(i + 1) ?? null);
    const rows: { id: number }[] = await this.t.db.query(
      `INSERT INTO plan_items (plan_id, number, title, evaluator_user_id)
       SELECT $1, $2 + g - 1, $3 || g, ($5::int[])[g] FROM generate_series(1, $4) g ORDER BY g RETURNING id`,
      [opts.planId, opts.firstNumber, opts.title, opts.count, evaluators],
    );
    const ids = rows.map((r) => r.id);
    await this.t.db.query(
      `INSERT INTO plan_item_sections (item_id, section_id, sort)
       SELECT i, s.id, s.sort - 1 FROM unnest($1::int[]) i CROSS JOIN unnest($2::int[]) WITH ORDINALITY s(id, sort)`,
      [ids, opts.sections],
    );
    return ids;
  }

  async kpi(opts: {
    itemId: number;
    name: string;
    unit?: string;
    sort?: number;
    kind?: string;
    direction?: string;
    targets?: Record<string, number | string>;
  }): Promise<number> {
    const row = await this.insert('plan_item_kpis', {
      item_id: opts.itemId,
      name: opts.name,
      unit: opts.unit,
      sort: opts.sort,
      kind: opts.kind,
      direction: opts.direction,
      targets: opts.targets === undefined ? undefined : JSON.stringify(opts.targets),
    });
    return row.id;
  }

  /** The actor a service call is made as: the user's roles, section and department as the api reads them. */
  async actor(userId: number): Promise<Actor> {
    const [row] = await this.t.db.query(
      `SELECT u.id, u.section_id AS "sectionId", s.department_id AS "departmentId", u.roles, u.name
         FROM users u LEFT JOIN sections s ON s.id = u.section_id WHERE u.id = $1`,
      [userId],
    );
    if (!row) throw new Error(`no user ${userId}`);
    return row;
  }

  /** A template through TemplatesService (its form and route checked as the api checks them). */
  async template(opts: Partial<CreateTemplateDto> & { planId: number; by: number }): Promise<number> {
    const { by, ...dto } = opts;
    const code = dto.code ?? `t${unique()}`;
    const template = await this.t.app
      .get(TemplatesService)
      .create({ name: `テンプレート${code}`, periodType: 'half_year', scaleCode: 'progress4', ...dto, code } as CreateTemplateDto, await this.actor(by));
    return template.id;
  }

  /**
   * The cycle of the template's period (by key or a date inside it), opened by CyclesService:
   * it holds the template's rules and one entry per item × section, as an opening makes them.
   * `by` is the planning user the audit names (the scheduler, null, when omitted).
   */
  async openedCycle(opts: { templateId: number; periodKey?: string; date?: string; by?: number }): Promise<{ cycleId: number; createdEntries: number }> {
    const cycles = this.t.app.get(CyclesService);
    const actor = opts.by ? await this.actor(opts.by) : null;
    const { cycle } = await cycles.ensure({ templateId: opts.templateId, periodKey: opts.periodKey, date: opts.date }, actor);
    const result = await cycles.act(cycle.id, { action: 'open' }, actor);
    return { cycleId: cycle.id, createdEntries: result.createdEntries ?? 0 };
  }

  /**
   * An entry already at `state` (set up by SQL: walking the route there takes a dozen calls).
   * The cycle must be open and the item answered for by the section, as the opening requires.
   * Written states carry a rating and progress; submitted ones an author and a submission time.
   */
  async entry(opts: {
    cycleId: number;
    itemId: number;
    sectionId: number;
    state: EntryState;
    step?: number;
    author?: number | null;
    editor?: number | null;
    rating?: string | null;
    progress?: string | null;
    submittedAt?: Date | null;
    acceptedAt?: Date | null;
  }): Promise<EntryRow> {
    const [place] = await this.t.db.query(
      `SELECT c.state, EXISTS (SELECT 1 FROM plan_item_sections WHERE item_id = $2 AND section_id = $3) AS linked FROM cycles c WHERE c.id = $1`,
      [opts.cycleId, opts.itemId, opts.sectionId],
    );
    if (!place || place.state === 'draft') throw new Error(`cycle ${opts.cycleId} is not opened: entries exist only in opened cycles`);
    if (!place.linked) throw new Error(`item ${opts.itemId} is not answered for by section ${opts.sectionId}`);
    const written = opts.state !== 'not_started';
    return (await this.insert(
      'entries',
      {
        cycle_id: opts.cycleId,
        item_id: opts.itemId,
        section_id: opts.sectionId,
        state: opts.state,
        current_step: opts.step ?? (opts.state === 'in_review' ? 1 : opts.state === 'accepted' ? 3 : 0),
        author_user_id: opts.author ?? null,
        last_edited_by: opts.editor ?? null,
        rating: opts.rating !== undefined ? opts.rating : written ? '○' : null,
        progress: opts.progress !== undefined ? opts.progress : written ? '計画どおり進めている' : null,
        submitted_at: opts.submittedAt !== undefined ? opts.submittedAt : opts.author ? new Date() : null,
        accepted_at: opts.acceptedAt !== undefined ? opts.acceptedAt : opts.state === 'accepted' ? new Date() : null,
      },
      '*',
    )) as EntryRow;
  }

  /**
   * One entry per item of `itemIds` for `sectionId`, in one statement (the race, audit and load
   * suites need hundreds), with the same defaults as entry(). Answers the ids in item order.
   */
  async entriesFor(opts: {
    cycleId: number;
    itemIds: number[];
    sectionId: number;
    state: EntryState;
    step?: number;
    author?: number | null;
    editor?: number | null;
    rating?: string | null;
    progress?: string | null;
  }): Promise<number[]> {
    const written = opts.state !== 'not_started';
    const submitted = !!opts.author;
    const rows: { id: number }[] = await this.t.db.query(
      `INSERT INTO entries (cycle_id, item_id, section_id, state, current_step, author_user_id, last_edited_by, rating, progress, submitted_at)
       SELECT c.id, pis.item_id, pis.section_id, $4, $5, $6, $7, $8, $9, $10
         FROM cycles c JOIN unnest($2::int[]) WITH ORDINALITY i(id, n) ON true
         JOIN plan_item_sections pis ON pis.item_id = i.id AND pis.section_id = $3
        WHERE c.id = $1 AND c.state <> 'draft'
        ORDER BY i.n RETURNING id`,
      [
        opts.cycleId,
        opts.itemIds,
        opts.sectionId,
        opts.state,
        opts.step ?? 0,
        opts.author ?? null,
        opts.editor ?? null,
        opts.rating !== undefined ? opts.rating : written ? '○' : null,
        opts.progress !== undefined ? opts.progress : written ? '計画どおり' : null,
        submitted ? new Date() : null,
      ],
    );
    if (rows.length !== opts.itemIds.length)
      throw new Error(`only ${rows.length} of ${opts.itemIds.length} entries: the cycle is not opened or an item is not the section's`);
    return rows.map((r) => r.id);
  }

  /** An audit row as a service records it (AuditService: the chain's hash and sequence included), outside any transaction. */
  async audit(rec: AuditRecord): Promise<void> {
    await this.t.app.get(AuditService).record(this.t.db.manager, rec);
  }

  /**
   * A long audit history of `subjects` entry ids (saves and approvals, `perSubject` each), as years
   * of use leave it, then ANALYZE: for the tests of what the planner makes of reads of the log.
   * Written in one statement (a per-row record() would take minutes); not sealed into the chain.
   */
  async auditHistory(opts: { subjects: number; perSubject: number }): Promise<void> {
    // As the owner: ANALYZE is the owner's, and the bulk is not bound by the app's statement timeout.
    const owner = await adminClient(this.t.config, this.t.config.DB_NAME);
    try {
      await owner.query(
        `INSERT INTO audit_log (action, subject_type, subject_id)
         SELECT CASE WHEN g % 3 = 0 THEN 'entry.approve' ELSE 'entry.save' END, 'entry', (1000000 + g % $1::int)::text
           FROM generate_series(1, $1::int * $2::int) g`,
        [opts.subjects, opts.perSubject],
      );
      await owner.query('ANALYZE audit_log');
    } finally {
      await owner.end();
    }
  }

  /**
   * A reminder mail row as the sender leaves it (a failed one to resend, a pending one of a slot);
   * the mail itself comes from the worker, so only the row is made here.
   */
  async reminderMail(opts: {
    recipient: number;
    kind: string;
    slotKey: string;
    sendAt?: Date | string;
    entryId?: number;
    status?: string;
    attempts?: number;
    lastError?: string;
  }): Promise<string> {
    const row = await this.insert('reminder_mails', {
      recipient_user_id: opts.recipient,
      kind: opts.kind,
      slot_key: opts.slotKey,
      send_at: opts.sendAt ?? new Date(),
      entry_id: opts.entryId,
      status: opts.status,
      attempts: opts.attempts,
      last_error: opts.lastError,
    });
    return row.id;
  }

  /**
   * One pending notice row (a text composed at its event, as libs/reminders writes them) for each
   * recipient, due at `sendAt`, in one statement: the outbox of a busy morning. Answers the ids.
   */
  async noticeMails(opts: { recipients: number[]; slotKey: string; subject: string; sendAt?: Date }): Promise<string[]> {
    const payload = { type: 'delegation_granted', subject: opts.subject, lead: `${opts.subject}のお知らせです。`, lines: [] };
    const rows: { id: string }[] = await this.t.db.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, payload)
       SELECT r, 'notice', $2, $3, $4 FROM unnest($1::int[]) WITH ORDINALITY AS x(r, n) ORDER BY n RETURNING id`,
      [opts.recipients, opts.slotKey, opts.sendAt ?? new Date(), JSON.stringify(payload)],
    );
    return rows.map((r) => r.id);
  }

  /** A delegation; recorded by the principal (in force at once) unless `createdBy` and `confirmedAt: null` say otherwise. */
  async delegation(opts: {
    from: number;
    to: number;
    startsOn: string;
    endsOn?: string;
    reason?: string;
    createdBy?: number;
    confirmedAt?: Date | null;
  }): Promise<number> {
    const row = await this.insert('delegations', {
      from_user_id: opts.from,
      to_user_id: opts.to,
      starts_on: opts.startsOn,
      ends_on: opts.endsOn ?? opts.startsOn,
      reason: opts.reason,
      created_by: opts.createdBy,
      confirmed_at: opts.confirmedAt,
    });
    return row.id;
  }
}

export const build = (t: TestApp) => new Builder(t);

/** Anything that runs SQL as the database owner (a pg Client from adminClient). */
interface OwnerConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, any>[] }>;
}

/**
 * A municipality (tenant). Tenants are created by the owner (the application's role may not
 * write `tenants`), so this takes the owner's connection; `code` is the 地方公共団体コード with
 * its check digit, which the table's CHECK verifies.
 */
export async function tenant(
  owner: OwnerConnection,
  row: { id?: number; code: string; name: string; mailFrom?: string; contactName?: string; contactPhone?: string; prefectureId?: number; publicUrl?: string },
): Promise<number> {
  const values: Record<string, unknown> = {
    id: row.id,
    code: row.code,
    name: row.name,
    mail_from: row.mailFrom,
    contact_name: row.contactName,
    contact_phone: row.contactPhone,
    prefecture_id: row.prefectureId,
    public_url: row.publicUrl,
  };
  const columns = Object.keys(values).filter((k) => values[k] !== undefined);
  const { rows } = await owner.query(
    `INSERT INTO tenants (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    columns.map((c) => values[c]),
  );
  return rows[0].id;
}
