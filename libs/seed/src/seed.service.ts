import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcryptjs';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { AppConfig } from '@app/config';
import { loadSeedData, SeedData } from './seed-data';

/** Every demo user's password. Demo data only: never seed a production database. */
export const DEMO_PASSWORD = 'password';
export const PLEDGE_PLAN_CODE = 'pledges-2023';
export const STATUS_PLAN_CODE = 'pledge-status';

export interface SeedCount {
  created: number;
  total: number;
}

export interface SeedSummary {
  departments: SeedCount;
  sections: SeedCount;
  users: SeedCount;
  plans: SeedCount;
  items: SeedCount;
}

interface NewUser {
  login: string;
  name: string;
  sectionId: number | null;
  roles: string[];
}

/**
 * Demo organisation, users and the two pledge plans from the published reports.
 * Idempotent: rows are matched by code / login / (plan, number, sub_number) and only missing
 * ones are inserted, so a second run (or a run on an edited database) changes nothing.
 */
@Injectable()
export class SeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async seed(data: SeedData = loadSeedData()): Promise<SeedSummary> {
    const passwordHash = await bcrypt.hash(DEMO_PASSWORD, this.config.BCRYPT_ROUNDS);
    return this.dataSource.transaction(async (em) => {
      // One seed at a time: two concurrent runs would otherwise race on the same codes.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('hyoka-seed'))`);
      const created = { departments: 0, sections: 0, users: 0, plans: 0, items: 0 };
      const sectionIdByName = new Map<string, number>();
      const departments: { id: number; code: string; name: string }[] = [];

      for (const d of data.organisation.departments) {
        const [row] = await em.query(`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id`, [d.code, d.name]);
        if (row) created.departments++;
        const [dept] = await em.query(`SELECT id FROM departments WHERE code = $1`, [d.code]);
        departments.push({ id: dept.id, code: d.code, name: d.name });
        for (const [code, name] of d.sections) {
          const [s] = await em.query(
            `INSERT INTO sections (department_id, code, name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id`,
            [dept.id, code, name],
          );
          if (s) {
            created.sections++;
            await em.query(`INSERT INTO section_names (section_id, name, valid_from, note) VALUES ($1, $2, '2023-04-01', 'デモデータ')`, [s.id, name]);
          }
          const [section] = await em.query(`SELECT id FROM sections WHERE code = $1`, [code]);
          sectionIdByName.set(name, section.id);
        }
      }
      const sectionId = (name: string): number => {
        const id = sectionIdByName.get(name);
        if (id === undefined) throw new Error(`seed: 課「${name}」が organisation.json にありません`);
        return id;
      };

      const users: NewUser[] = [
        { login: 'admin', name: 'システム管理者', sectionId: null, roles: ['admin'] },
        { login: 'planning', name: '経営企画課 企画担当', sectionId: sectionId(data.organisation.planningSection), roles: ['planning'] },
      ];
      for (const d of data.organisation.departments) {
        users.push({ login: `eval-${d.code}`, name: `${d.name}長`, sectionId: null, roles: ['evaluator'] });
        for (const [code, name] of d.sections) {
          users.push({ login: `chief-${code}`, name: `${name}長`, sectionId: sectionId(name), roles: ['chief'] });
          users.push({ login: `staff-${code}`, name: `${name} 担当`, sectionId: sectionId(name), roles: ['staff'] });
        }
      }
      for (const u of users) {
        const [row] = await em.query(
          `INSERT INTO users (login, name, email, section_id, roles, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (login) DO NOTHING RETURNING id`,
          [u.login, u.name, `${u.login}@example.jp`, u.sectionId, u.roles, passwordHash],
        );
        if (row) created.users++;
      }
      // The department head (評価者) is the department's evaluator unless someone set another.
      for (const d of departments) {
        await em.query(
          `UPDATE departments SET head_user_id = (SELECT id FROM users WHERE login = $2) WHERE id = $1 AND head_user_id IS NULL`,
          [d.id, `eval-${d.code}`],
        );
      }

      const pledgePlan = await this.plan(em, PLEDGE_PLAN_CODE, '市長公約 重点政策No.1~45', created);
      for (const p of data.monthly.pledges) {
        // One row per section: pledge 34 lists 道路建設課 three times, one per project.
        const bySection = new Map<number, { content: string[]; target: string[]; sort: number }>();
        for (const row of p.rows) {
          for (const name of row.sectionNames) {
            const id = sectionId(name);
            const entry = bySection.get(id) ?? { content: [], target: [], sort: bySection.size };
            if (row.content && !entry.content.includes(row.content)) entry.content.push(row.content);
            if (row.targetDateText && !entry.target.includes(row.targetDateText)) entry.target.push(row.targetDateText);
            bySection.set(id, entry);
          }
        }
        const targets = [...new Set(p.rows.map((r) => r.targetDateText).filter(Boolean))];
        const contents = [...new Set(p.rows.map((r) => r.content).filter(Boolean))];
        const itemId = await this.item(em, pledgePlan, created, {
          number: p.number,
          subNumber: '',
          chapter: null,
          category: null,
          title: p.title,
          content: contents.length === 1 ? contents[0] : null,
          targetDateText: targets.length === 1 ? targets[0] : null,
        });
        if (itemId) {
          for (const [id, s] of bySection) {
            await em.query(
              `INSERT INTO plan_item_sections (item_id, section_id, content, target_date_text, sort) VALUES ($1, $2, $3, $4, $5)`,
              [itemId, id, s.content.join('\n\n') || null, s.target.join(' / ') || null, s.sort],
            );
          }
        }
      }

      const statusPlan = await this.plan(em, STATUS_PLAN_CODE, '市長公約（政策宣言）進捗状況', created);
      for (const chapter of data.status.chapters) {
        for (const item of chapter.items) {
          const responsible = sectionId(data.organisation.pledgeStatusSections[item.category] ?? data.organisation.planningSection);
          for (const sub of item.subItems) {
            const itemId = await this.item(em, statusPlan, created, {
              number: item.number,
              subNumber: sub.subNumber,
              chapter: chapter.label,
              // The pledge heading groups its sub-items: '【デジタル】デジタル未来都市推進部門の設置と…'.
              category: `【${item.category}】${item.title}`,
              title: sub.title,
              content: sub.content || null,
              targetDateText: null,
            });
            if (itemId) {
              await em.query(`INSERT INTO plan_item_sections (item_id, section_id, sort) VALUES ($1, $2, 0)`, [itemId, responsible]);
            }
          }
        }
      }

      const summary = await this.summary(em, created);
      if (Object.values(created).some((n) => n > 0)) {
        await this.audit.record(em, { actorUserId: null, action: 'seed.run', subjectType: 'seed', subjectId: 'demo', after: summary });
      }
      return summary;
    });
  }

  private async plan(em: EntityManager, code: string, name: string, created: Record<string, number>): Promise<number> {
    const [row] = await em.query(`INSERT INTO plans (code, name, kind) VALUES ($1, $2, 'pledge') ON CONFLICT (code) DO NOTHING RETURNING id`, [code, name]);
    if (row) created.plans++;
    const [plan] = await em.query(`SELECT id FROM plans WHERE code = $1`, [code]);
    return plan.id;
  }

  /** Inserts the item unless (plan, number, sub_number) exists; returns the new id or null. */
  private async item(
    em: EntityManager,
    planId: number,
    created: Record<string, number>,
    f: { number: number; subNumber: string; chapter: string | null; category: string | null; title: string; content: string | null; targetDateText: string | null },
  ): Promise<number | null> {
    const [row] = await em.query(
      `INSERT INTO plan_items (plan_id, number, sub_number, chapter, category, title, content, target_date_text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (plan_id, number, sub_number) DO NOTHING RETURNING id`,
      [planId, f.number, f.subNumber, f.chapter, f.category, f.title, f.content, f.targetDateText],
    );
    if (!row) return null;
    created.items++;
    return row.id;
  }

  private async summary(em: EntityManager, created: Record<keyof SeedSummary, number>): Promise<SeedSummary> {
    const [totals] = await em.query(
      `SELECT (SELECT count(*)::int FROM departments) AS departments, (SELECT count(*)::int FROM sections) AS sections,
              (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM plans) AS plans,
              (SELECT count(*)::int FROM plan_items) AS items`,
    );
    const pick = (k: keyof SeedSummary): SeedCount => ({ created: created[k], total: totals[k] });
    return { departments: pick('departments'), sections: pick('sections'), users: pick('users'), plans: pick('plans'), items: pick('items') };
  }
}
