import { type ApprovalStepKind, type CycleWorkAction, delegationPeriodText, delegationScopeText, type ReviewAction } from '@app/domain';
import { deadlineLabel, japaneseDate } from '../reminder-plan';
import type { NoticePayload, TextNotice } from './notice-payload';

/** The texts of each notice, from what its event knows: plain functions, unit-tested alone. */

export interface ActedForFacts {
  action: ReviewAction;
  actorName: string;
  itemLabel: string;
  title: string;
  sectionName: string;
  cycleLabel: string;
  stepLabel: string;
  /** When it was done, as shown to people ('令和6年10月15日(火) 14:05'). */
  atText: string;
  comment: string | null;
  entryId: number;
}

const ACTION_TEXT = { approve: '承認', return: '差戻し' } as const;

/** 後閲: what a delegate did in the principal's name, for the principal to review afterwards. */
export function actedForNotice(f: ActedForFacts): NoticePayload {
  const done = ACTION_TEXT[f.action];
  return {
    type: 'acted_for',
    subject: `【後閲】${f.actorName}さんが代決で${done}しました：${f.itemLabel} ${truncate(f.title, 30)}（評価サイクル）`,
    lead: `あなたの名義で次のエントリーが代決されました。内容をご確認ください（後閲）。`,
    lines: [
      { label: 'サイクル', value: f.cycleLabel },
      { label: '項目', value: `${f.itemLabel} ${f.title}` },
      { label: '所管課', value: f.sectionName },
      { label: '段階', value: f.stepLabel },
      { label: '処理', value: `${done}（代決）` },
      { label: '代決者', value: f.actorName },
      { label: '日時', value: f.atText },
    ],
    comment: f.comment,
    path: `/entries/${f.entryId}`,
  };
}

export interface DelegationFacts {
  principalName: string;
  delegateName: string;
  recorderName: string;
  startsOn: string;
  endsOn: string;
  today: string;
  cycleLabel: string | null;
  stepKind: ApprovalStepKind | null;
  reason: string | null;
}

function delegationLines(f: DelegationFacts) {
  return [
    { label: '代理元', value: f.principalName },
    { label: '代理者', value: f.delegateName },
    { label: '期間', value: `${japaneseDate(f.startsOn)} 〜 ${japaneseDate(f.endsOn)}` },
    { label: '範囲', value: delegationScopeText(f) },
    ...(f.reason ? [{ label: '理由', value: f.reason }] : []),
    { label: '登録者', value: f.recorderName },
  ];
}

/** To the principal: someone recorded a delegation in their name; it waits for confirmation. */
export function delegationRequestNotice(f: DelegationFacts): NoticePayload {
  return {
    type: 'delegation_request',
    subject: `【確認依頼】${f.recorderName}さんがあなたの代理設定を登録しました（評価サイクル）`,
    lead: `${f.recorderName}さんが、あなたの承認を${f.delegateName}さんが代決できるよう代理設定を登録しました。あなた（またはあなたの上司）が確認するまで、この代理設定は有効になりません。`,
    lines: delegationLines(f),
    action: '代理設定の画面で内容を確かめ、「確認」または「取消」を選んでください。心当たりがない場合は取り消してください。',
    path: '/delegations',
  };
}

/** To the delegate: from when to when, for whom, they may approve. */
export function delegationGrantedNotice(f: DelegationFacts): NoticePayload {
  return {
    type: 'delegation_granted',
    subject: `【代理設定】${f.principalName}さんの承認を代決できます（${delegationPeriodText(f, f.today)}）（評価サイクル）`,
    lead: `${f.principalName}さんの承認を、次の期間と範囲で代決できるようになりました。期間中は承認待ちの一覧に「代決」として表示されます。`,
    lines: delegationLines(f),
    path: '/inbox',
  };
}

/** To the principal: their superior confirmed a delegation recorded in their name (後閲). */
export function delegationConfirmedNotice(f: DelegationFacts & { confirmerName: string }): NoticePayload {
  return {
    type: 'delegation_confirmed',
    subject: `【後閲】${f.confirmerName}さんがあなたの代理設定を確認しました（評価サイクル）`,
    lead: `あなたの名義の代理設定を${f.confirmerName}さんが確認し、有効になりました。心当たりがない場合は代理設定の画面で取り消してください。`,
    lines: [...delegationLines(f), { label: '確認者', value: f.confirmerName }],
    path: '/delegations',
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The text of a notice composed when sent: what the generic notice template renders. */
export type NoticeText = Omit<TextNotice, 'type'>;

export interface WorkLine {
  itemLabel: string;
  title: string;
  /** The section (in an approver's list) or the entry's state (in a section's list). */
  detail: string;
  /** The link to the entry. */
  url: string;
}

const workLines = (lines: WorkLine[]) => lines.map((l) => ({ label: l.itemLabel, value: `${l.title}（${l.detail}）`, url: l.url }));

/**
 * 依頼: the cycle is open, these entries are the section's to write, by this date. `today` is
 * the day it is sent: a cycle opened late is asked for with the deadline as it stands then.
 */
export function cycleRequestNotice(f: { cycleLabel: string; sectionName: string; deadline: string; today: string; work: WorkLine[] }): NoticeText {
  const due = japaneseDate(f.deadline);
  const passed = f.today > f.deadline;
  return {
    subject: passed
      ? `【依頼】${f.cycleLabel}のエントリーの入力をお願いします（${f.work.length}件・期限 ${due} 経過）（評価サイクル）`
      : `【依頼】${f.cycleLabel}のエントリーの入力をお願いします（${f.work.length}件・期限 ${due}）（評価サイクル）`,
    lead: passed
      ? `${f.cycleLabel}のエントリーの受付を始めました。提出期限の${due}を過ぎてからの開始です（${deadlineLabel(f.deadline, f.today)}）。${f.sectionName}のエントリーは次の${f.work.length}件です。できるだけ早く入力して提出してください。`
      : `${f.cycleLabel}のエントリーの受付を始めました。${f.sectionName}のエントリーは次の${f.work.length}件です。${due}までに入力して提出してください（${deadlineLabel(f.deadline, f.today)}）。`,
    lines: workLines(f.work),
    path: '/mine',
  };
}

/** 承認依頼: these entries now wait at the recipient's step (or their principal's, by 代決). */
export function reviewRequestNotice(f: { cycleLabel: string; reviewDeadline: string; work: WorkLine[] }): NoticeText {
  return {
    subject: `【承認依頼】${f.cycleLabel} 承認待ちのエントリーが${f.work.length}件あります（評価サイクル）`,
    lead: `次のエントリーがあなたの確認を待っています。${japaneseDate(f.reviewDeadline)}までに承認または差戻しをしてください。`,
    lines: workLines(f.work),
    path: '/inbox',
  };
}

/** Why nobody can approve an entry at its step, in the planning division's words. */
export function stuckReason(f: {
  stepKind: ApprovalStepKind;
  stepLabel: string;
  sectionName: string;
  activeChiefs: number;
  evaluatorName: string | null;
  evaluatorActive: boolean | null;
  activePlanners: number;
}): string {
  if (f.stepKind === 'section_chief' && f.activeChiefs === 0) return `${f.stepLabel}が不在です（${f.sectionName}に課長の利用者がいません）`;
  if (f.stepKind === 'evaluator' && f.evaluatorName !== null && f.evaluatorActive === false) return `${f.stepLabel}（${f.evaluatorName}）の利用者が無効です`;
  if (f.stepKind === 'planning' && f.activePlanners === 0) return `${f.stepLabel}の利用者がいません`;
  return `${f.stepLabel}を承認できる人がいません（全員が作成または前の段階の承認に関わっています）`;
}

/** To the planning division: entries no one can move on, and what to do about it. */
export function stuckEntriesNotice(f: { cycleLabel: string; work: WorkLine[]; toAdmins?: boolean }): NoticeText {
  const why = `次のエントリーは、承認の段階を担う職員が不在か、承認できる職員がいないため、先に進めません。`;
  return {
    subject: `【要対応】${f.cycleLabel} 承認する人がいないエントリーが${f.work.length}件あります（評価サイクル）`,
    lead: f.toAdmins ? `企画担当の有効な利用者がいないため、管理者のあなたにお送りしています。企画担当の利用者を設定してください。${why}` : why,
    lines: workLines(f.work),
    action: '利用者の画面で課長・評価者（部長）を設定するか、代理設定や承認経路を見直してください。設定すると、その職員に承認依頼が届きます。',
    path: '/inbox',
  };
}

/** The cycle closed, was force-closed (what the section left unsubmitted) or reopened (why). */
export function cycleStateNotice(f: { cycleLabel: string; action: CycleWorkAction; reason: string | null; notSubmitted: number; open: number }): NoticeText {
  switch (f.action) {
    case 'reopen':
      return {
        subject: `【再開】${f.cycleLabel}の受付を再開しました（評価サイクル）`,
        lead: `${f.cycleLabel}の受付を再開しました。${f.open ? `自課の対応が必要なエントリーは${f.open}件です。` : ''}`,
        lines: [],
        comment: f.reason,
        path: '/mine',
      };
    case 'force_close':
      return {
        subject: `【締切】${f.cycleLabel}を締め切りました${f.notSubmitted ? `（自課の未提出 ${f.notSubmitted}件）` : ''}（評価サイクル）`,
        lead: `${f.cycleLabel}を締め切りました。${f.notSubmitted ? `自課の${f.notSubmitted}件は提出されなかったため「未提出」として確定しました。` : '自課のエントリーはすべて提出されています。'}`,
        lines: [],
        comment: f.reason,
        path: '/mine',
      };
    case 'close':
      return {
        subject: `【締切】${f.cycleLabel}を締め切りました（評価サイクル）`,
        lead: `${f.cycleLabel}のエントリーはすべて承認され、受付を締め切りました。ご協力ありがとうございました。`,
        lines: [],
        path: '/mine',
      };
  }
}

const TOKYO_TIME = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' });

/** To a user whose account failed sign-ins locked: when, for how long, and what to do if it was not them. */
export function accountLockedNotice(f: { login: string; failures: number; lockSeconds: number; at: Date }): NoticePayload {
  const minutes = Math.max(1, Math.round(f.lockSeconds / 60));
  return {
    type: 'account_locked',
    subject: '【評価サイクル】アカウントがロックされました',
    lead: `評価サイクルのアカウント（ログインID: ${f.login}）は、パスワードの誤りが${f.failures}回続いたため、${TOKYO_TIME.format(f.at)}にロックされました。`,
    lines: [{ label: 'ロックの解除', value: `最後の失敗から約${minutes}分後に自動で解除されます` }],
    action:
      'すぐに利用する必要がある場合は、システム管理者にロックの解除を依頼してください。ご自身の操作に心当たりがない場合は、第三者がパスワードを試した可能性があります。ロックの解除後にパスワードを変更し、システム管理者に連絡してください。',
    path: '/login',
  };
}
