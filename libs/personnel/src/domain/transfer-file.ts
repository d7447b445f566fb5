import { isoDate, Post, POST_LABELS, postOf, postOfTitle } from '@app/domain';
import type { Role } from '@app/domain';

/**
 * The pure part of a bulk 人事異動: reading a personnel file's rows against the organisation as
 * it is. Rows are numbered as in the spreadsheet (the header is row 1); each problem is said in
 * Japanese and names the column.
 */

export interface OrgUser {
  id: number;
  login: string;
  staffNumber: string | null;
  name: string;
  sectionId: number | null;
  roles: Role[];
  active: boolean;
}

export interface OrgSection {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  active: boolean;
}

export interface OrgDepartment {
  id: number;
  code: string;
  name: string;
  headUserId: number | null;
}

export interface OrgSnapshot {
  users: OrgUser[];
  sections: OrgSection[];
  departments: OrgDepartment[];
}

/** One row of the file, read and resolved: who goes where as what, from when. */
export interface TransferRow {
  row: number;
  userId: number;
  /** Null for a 部長 named by department (a department head belongs to the department they head). */
  sectionId: number | null;
  departmentId: number;
  post: Post;
  title: string;
  effectiveDate: string;
}

/** What the preview shows for one row. */
export interface RowReport {
  row: number;
  person: string;
  name: string;
  current: string | null;
  next: string | null;
  title: string;
  effectiveDate: string | null;
  errors: string[];
  warnings: string[];
  unchanged: boolean;
}

export const TRANSFER_COLUMNS = ['ログインID', '職員番号', '氏名', '新所属', '新職', '発令日'] as const;
type Column = 'login' | 'staffNumber' | 'name' | 'section' | 'title' | 'date';
const HEADERS: Record<string, Column> = {
  ログインid: 'login',
  ログイン: 'login',
  login: 'login',
  職員番号: 'staffNumber',
  staffnumber: 'staffNumber',
  氏名: 'name',
  名前: 'name',
  新所属: 'section',
  所属: 'section',
  異動先: 'section',
  新職: 'title',
  職: 'title',
  職名: 'title',
  発令日: 'date',
  異動日: 'date',
};

/** '2027-04-01', '2027/4/1', '令和9年4月1日', 'R9.4.1' (or an Excel date cell's text): the ISO date, or null. */
export function readDate(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  let parts: [number, number, number];
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (m) parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(令和|平成|R|H)(\d{1,2}|元)[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/i.exec(t))) {
    const base = /^(令和|R)$/i.test(m[1]) ? 2018 : 1988;
    parts = [base + (m[2] === '元' ? 1 : Number(m[2])), Number(m[3]), Number(m[4])];
  } else if (/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4}/.test(t) && !Number.isNaN(Date.parse(t))) {
    // ExcelJS gives a date cell's text as Date#toString (local time): read it back in local time.
    const d = new Date(t);
    parts = [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  } else return null;
  const [year, month, day] = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const iso = isoDate(year, month, day);
  return iso === `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` ? iso : null;
}

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

export function placeLabel(snap: Indexed, user: { sectionId: number | null; roles: readonly Role[] }, headOf: number | null): string {
  const post = postOf(user, headOf !== null);
  if (post === 'department_head') return `${snap.departments.get(headOf!)?.name ?? ''} ${POST_LABELS[post]}`;
  return `${user.sectionId ? (snap.sections.get(user.sectionId)?.name ?? '') : '所属なし'} ${POST_LABELS[post]}`;
}

export interface Indexed {
  users: Map<number, OrgUser>;
  sections: Map<number, OrgSection>;
  departments: Map<number, OrgDepartment>;
  headOf: Map<number, number>;
}

export function indexSnapshot(snap: OrgSnapshot): Indexed {
  const headOf = new Map<number, number>();
  for (const d of snap.departments) if (d.headUserId !== null && !headOf.has(d.headUserId)) headOf.set(d.headUserId, d.id);
  return {
    users: new Map(snap.users.map((u) => [u.id, u])),
    sections: new Map(snap.sections.map((s) => [s.id, s])),
    departments: new Map(snap.departments.map((d) => [d.id, d])),
    headOf,
  };
}

/**
 * Reads the table (header first) against the organisation: every row resolved or refused with
 * its reasons. A person named twice, an unknown person, section or post, a 氏名 that is not the
 * person's, a department given two heads: each is an error of the rows concerned.
 */
export function readTransferFile(table: string[][], snap: OrgSnapshot): { rows: TransferRow[]; reports: RowReport[]; fileErrors: string[] } {
  const index = indexSnapshot(snap);
  const header = (table[0] ?? []).map((h) => HEADERS[norm(h)] ?? null);
  const col = (c: Column) => header.indexOf(c);
  const fileErrors: string[] = [];
  if (col('login') < 0 && col('staffNumber') < 0) fileErrors.push('「ログインID」または「職員番号」の列がありません');
  for (const [c, label] of [
    ['section', '新所属'],
    ['title', '新職'],
    ['date', '発令日'],
  ] as const)
    if (col(c) < 0) fileErrors.push(`「${label}」の列がありません`);
  if (fileErrors.length) return { rows: [], reports: [], fileErrors };

  const byLogin = new Map(snap.users.map((u) => [u.login.toLowerCase(), u]));
  const byStaffNumber = new Map(snap.users.filter((u) => u.staffNumber).map((u) => [norm(u.staffNumber!), u]));
  const sectionByKey = new Map<string, OrgSection>();
  for (const s of snap.sections) if (s.active) sectionByKey.set(norm(s.code), s);
  for (const s of snap.sections) if (s.active && !sectionByKey.has(norm(s.name))) sectionByKey.set(norm(s.name), s);
  const mergedByKey = new Map<string, OrgSection>();
  for (const s of snap.sections) if (!s.active) mergedByKey.set(norm(s.name), s).set(norm(s.code), s);
  const departmentByKey = new Map<string, OrgDepartment>();
  for (const d of snap.departments) departmentByKey.set(norm(d.code), d).set(norm(d.name), d);

  const rows: TransferRow[] = [];
  const reports: RowReport[] = [];
  const rowsOfUser = new Map<number, number[]>();
  const headsOf = new Map<number, number[]>();
  for (let i = 1; i < table.length; i++) {
    const cells = table[i];
    const cell = (c: Column) => (col(c) >= 0 ? (cells[col(c)] ?? '').trim() : '');
    if (cells.every((c) => c.trim() === '')) continue;
    const row = i + 1;
    const errors: string[] = [];
    const warnings: string[] = [];
    const login = cell('login');
    const staffNumber = cell('staffNumber');
    const person = login || staffNumber;
    let user: OrgUser | undefined;
    if (!person) errors.push('ログインID・職員番号: どちらかを入力してください');
    else {
      user = login ? byLogin.get(login.toLowerCase()) : byStaffNumber.get(norm(staffNumber));
      if (login && staffNumber && user && user.staffNumber && norm(user.staffNumber) !== norm(staffNumber))
        errors.push(`職員番号: ${staffNumber} はログインID ${login} の職員番号（${user.staffNumber}）と異なります`);
      if (!user) errors.push(login ? `ログインID: 「${login}」の職員が見つかりません` : `職員番号: 「${staffNumber}」の職員が見つかりません`);
      else if (!user.active) errors.push(`${login ? 'ログインID' : '職員番号'}: 「${person}」は無効化された利用者です`);
    }
    const name = cell('name');
    if (user && name && norm(name) !== norm(user.name)) errors.push(`氏名: 「${name}」は登録されている氏名（${user.name}）と異なります`);

    const titleText = cell('title');
    const post = titleText ? postOfTitle(titleText) : null;
    if (!titleText) errors.push('新職: 入力してください');
    else if (!post) errors.push(`新職: 「${titleText}」は職として扱えません（部長・参事・課長・課長補佐・係長・主査・主任・主事・担当など）`);

    const sectionText = cell('section');
    let section: OrgSection | undefined;
    let department: OrgDepartment | undefined;
    if (!sectionText) errors.push('新所属: 入力してください');
    else {
      section = sectionByKey.get(norm(sectionText));
      if (section) department = index.departments.get(section.departmentId);
      else if (post === 'department_head') department = departmentByKey.get(norm(sectionText));
      if (!section && !department) {
        const merged = mergedByKey.get(norm(sectionText));
        errors.push(
          merged
            ? `新所属: 「${sectionText}」は統合・廃止された課です`
            : `新所属: 「${sectionText}」という課${post === 'department_head' ? '・部' : ''}が見つかりません`,
        );
      }
    }

    const dateText = cell('date');
    const effectiveDate = dateText ? readDate(dateText) : null;
    if (!dateText) errors.push('発令日: 入力してください');
    else if (!effectiveDate) errors.push(`発令日: 「${dateText}」を日付として読めません（2027-04-01 または 令和9年4月1日）`);

    if (user) rowsOfUser.set(user.id, [...(rowsOfUser.get(user.id) ?? []), row]);
    if (post === 'department_head' && department) headsOf.set(department.id, [...(headsOf.get(department.id) ?? []), row]);

    let next: string | null = null;
    let unchanged = false;
    if (post && department) {
      // A department head belongs to the department they head, without a section of their own.
      const sectionId = post === 'department_head' ? null : section!.id;
      // As the file says it (係長), with the post the routes see when the title is not its name (担当).
      const title = titleText.normalize('NFKC').trim();
      const as = title === POST_LABELS[post] ? title : `${title}（${POST_LABELS[post]}）`;
      next = post === 'department_head' ? `${department.name} ${as}` : `${section?.name ?? department.name} ${as}`;
      if (post !== 'department_head' && !section) errors.push(`新所属: ${POST_LABELS[post]}の所属には課を指定してください`);
      if (user && errors.length === 0) {
        const heads = index.headOf.get(user.id) ?? null;
        unchanged = postOf(user, heads !== null) === post && user.sectionId === sectionId && (post !== 'department_head' || heads === department.id);
        rows.push({ row, userId: user.id, sectionId, departmentId: department.id, post, title: titleText, effectiveDate: effectiveDate! });
      }
    }
    reports.push({
      row,
      person,
      name: user?.name ?? name,
      current: user ? placeLabel(index, user, index.headOf.get(user.id) ?? null) : null,
      next,
      title: titleText,
      effectiveDate,
      errors,
      warnings,
      unchanged,
    });
  }
  // Rows that contradict each other: the same person twice, two heads for one department.
  const byRow = new Map(reports.map((r) => [r.row, r]));
  for (const list of rowsOfUser.values())
    if (list.length > 1) for (const r of list) byRow.get(r)!.errors.push(`重複: 同じ職員が ${list.filter((x) => x !== r).join('、')} 行目にもあります`);
  for (const [departmentId, list] of headsOf)
    if (list.length > 1)
      for (const r of list)
        byRow.get(r)!.errors.push(`新職: ${index.departments.get(departmentId)!.name}の部長が ${list.filter((x) => x !== r).join('、')} 行目にもあります`);
  const refused = new Set(reports.filter((r) => r.errors.length).map((r) => r.row));
  return { rows: rows.filter((r) => !refused.has(r.row)), reports, fileErrors };
}
