import { createHash } from 'node:crypto';

/**
 * One audit row as the chain hashes it: every field as PostgreSQL renders it to text (jsonb in
 * its canonical form, the time in UTC with microseconds), NULL as null.
 */
export interface ChainLink {
  chainSeq: string;
  id: string;
  at: string;
  actorUserId: string | null;
  onBehalfOfUserId: string | null;
  acting: boolean;
  action: string;
  subjectType: string;
  subjectId: string;
  before: string | null;
  after: string | null;
  comment: string | null;
  /** Hex of the previous link's hash; null for the first. */
  prevHash: string | null;
}

/** The SELECT list that reads a row of audit_log in that form (with hash, the stored hash). */
export const CHAIN_LINK_COLUMNS = `chain_seq::text AS "chainSeq", id::text AS id,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  actor_user_id::text AS "actorUserId", on_behalf_of_user_id::text AS "onBehalfOfUserId", acting,
  action, subject_type AS "subjectType", subject_id AS "subjectId", before::text AS before, after::text AS after,
  comment, encode(prev_hash, 'hex') AS "prevHash", encode(hash, 'hex') AS hash`;

/**
 * What a link's hash covers: each field as <UTF-8 bytes>:<text>, or - for NULL, so no two rows
 * serialise alike. The sealing trigger computes the same (audit_log_link_text in migration
 * 1732000009300); the verifier recomputes it here so it does not trust code in the database.
 */
export function linkText(l: ChainLink): string {
  const fields = [
    l.chainSeq,
    l.id,
    l.at,
    l.actorUserId,
    l.onBehalfOfUserId,
    l.acting ? 't' : 'f',
    l.action,
    l.subjectType,
    l.subjectId,
    l.before,
    l.after,
    l.comment,
    l.prevHash,
  ];
  return `hyoka-audit-v1;${fields.map((f) => (f === null ? '-' : `${Buffer.byteLength(f, 'utf8')}:${f}`)).join(';')};`;
}

/** SHA-256 of the link text, hex. */
export function linkHash(l: ChainLink): string {
  return createHash('sha256').update(linkText(l), 'utf8').digest('hex');
}

export type ChainProblem = 'changed' | 'missing' | 'relinked' | 'tail-missing';

/** The first place the chain does not hold. */
export interface ChainBreak {
  problem: ChainProblem;
  /** The row where it shows (for missing rows: the first row after the gap; none for a lost tail). */
  id: string | null;
  chainSeq: string | null;
  /** In Japanese, for the administrator. */
  message: string;
  /** The hash (or position) the chain expects here, and what was found. */
  expected?: string;
  actual?: string;
}

/** Walks links in chain order and remembers the first break. */
export class ChainWalker {
  private last: { chainSeq: bigint; id: string; hash: string } | null = null;
  checked = 0;
  firstBreak: ChainBreak | null = null;

  /** Takes the next link (with its stored hash); false once a break is found. */
  step(link: ChainLink & { hash: string | null }): boolean {
    if (this.firstBreak) return false;
    this.checked++;
    const seq = BigInt(link.chainSeq);
    const expectedSeq = (this.last?.chainSeq ?? 0n) + 1n;
    if (seq !== expectedSeq) {
      const gap = seq - expectedSeq === 1n ? `連番 ${expectedSeq}` : `連番 ${expectedSeq}〜${seq - 1n}`;
      return this.broken({
        problem: 'missing',
        id: link.id,
        chainSeq: link.chainSeq,
        message: `監査ログの${gap} の行がありません（削除されています）。${this.last ? `id ${this.last.id} と ` : ''}id ${link.id} の間です`,
        expected: String(expectedSeq),
        actual: link.chainSeq,
      });
    }
    if (link.prevHash !== (this.last?.hash ?? null)) {
      return this.broken({
        problem: 'relinked',
        id: link.id,
        chainSeq: link.chainSeq,
        message: `監査ログ id ${link.id} が記録する直前の行のハッシュが、${this.last ? `直前の行（id ${this.last.id}）` : '先頭'}と一致しません（直前の行が書き換えられています）`,
        expected: this.last?.hash ?? '(なし)',
        actual: link.prevHash ?? '(なし)',
      });
    }
    const computed = linkHash(link);
    if (link.hash !== computed) {
      return this.broken({
        problem: 'changed',
        id: link.id,
        chainSeq: link.chainSeq,
        message: `監査ログ id ${link.id} の内容が記録時のハッシュと一致しません（書き込み後に変更されています）`,
        expected: link.hash ?? '(なし)',
        actual: computed,
      });
    }
    this.last = { chainSeq: seq, id: link.id, hash: computed };
    return true;
  }

  /** After the last link: the chain head must point at it. */
  finish(head: { lastSeq: string; lastHash: string | null }): void {
    if (this.firstBreak) return;
    const lastSeq = this.last?.chainSeq ?? 0n;
    if (BigInt(head.lastSeq) !== lastSeq || head.lastHash !== (this.last?.hash ?? null)) {
      this.broken({
        problem: 'tail-missing',
        id: null,
        chainSeq: head.lastSeq,
        message:
          BigInt(head.lastSeq) > lastSeq
            ? `監査ログの末尾の ${BigInt(head.lastSeq) - lastSeq} 行（連番 ${lastSeq + 1n}〜${head.lastSeq}）がありません（削除されています）`
            : `監査ログの末尾（連番 ${lastSeq}）が、チェーンの先頭の記録と一致しません`,
        expected: `${head.lastSeq}:${head.lastHash ?? ''}`,
        actual: `${lastSeq}:${this.last?.hash ?? ''}`,
      });
    }
  }

  /** The last link that checked out. */
  get head(): { chainSeq: string; id: string; hash: string } | null {
    return this.last ? { chainSeq: String(this.last.chainSeq), id: this.last.id, hash: this.last.hash } : null;
  }

  private broken(b: ChainBreak): false {
    this.firstBreak = b;
    return false;
  }
}
