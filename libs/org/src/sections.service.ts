import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { addDays, tokyoToday, type Actor } from '@app/domain';
import { CreateSectionDto, MergeSectionDto, RenameSectionDto, UpdateSectionDto } from './dto/section.dto';
import { Section } from './entities/section.entity';
import type { OrgActor } from './org-actor';
import { SectionName } from './entities/section-name.entity';
import { sectionDisplayName, SectionNamePeriod } from './section-display-name';
import { SectionItems } from './directory/section-items';

export interface SectionView extends Section {
  departmentName: string;
  displayName: string;
  nameHistory: SectionNamePeriod[];
}

@Injectable()
export class SectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sectionItems: SectionItems,
  ) {}

  async list(filter: { departmentId?: number; includeInactive?: boolean } = {}): Promise<Section[]> {
    return this.dataSource.query(
      `SELECT s.id, s.department_id AS "departmentId", s.code, s.name, s.active, s.merged_into_id AS "mergedIntoId",
              d.name AS "departmentName"
         FROM sections s JOIN departments d ON d.id = s.department_id
        WHERE ($1::int IS NULL OR s.department_id = $1) AND ($2 OR s.active)
        ORDER BY d.code, s.code`,
      [filter.departmentId ?? null, filter.includeInactive ?? false],
    );
  }

  async get(id: number): Promise<SectionView> {
    const [row] = await this.dataSource.query(
      `SELECT s.id, s.department_id AS "departmentId", s.code, s.name, s.active, s.merged_into_id AS "mergedIntoId",
              s.created_at AS "createdAt", s.updated_at AS "updatedAt", d.name AS "departmentName"
         FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('課', id);
    const nameHistory: SectionNamePeriod[] = await this.dataSource.query(
      `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", note
         FROM section_names WHERE section_id = $1 ORDER BY valid_from, id`,
      [id],
    );
    return { ...row, nameHistory, displayName: sectionDisplayName(nameHistory, row.name) };
  }

  async create(dto: CreateSectionDto, actor: Actor): Promise<SectionView> {
    const id = await this.dataSource.transaction((em) => this.createIn(em, dto, actor));
    return this.get(id);
  }

  /** create() in the caller's transaction (a 機構改革 file applies all its rows or none). */
  async createIn(em: EntityManager, dto: CreateSectionDto, actor: OrgActor): Promise<number> {
    await this.assertDepartment(em, dto.departmentId);
    await this.assertCodeFree(em, dto.code);
    const saved = await em.save(em.create(Section, { departmentId: dto.departmentId, code: dto.code, name: dto.name, active: true, mergedIntoId: null }));
    // Every section starts with a name history row, so a later rename has something to close.
    await em.insert(SectionName, { sectionId: saved.id, name: dto.name, validFrom: dto.validFrom ?? tokyoToday(), validTo: null, note: null });
    await this.audit.record(em, { actorUserId: actor.id, action: 'section.create', subjectType: 'section', subjectId: saved.id, after: saved });
    return saved.id;
  }

  async update(id: number, dto: UpdateSectionDto, actor: Actor): Promise<SectionView> {
    await this.dataSource.transaction(async (em) => {
      const current = await this.lock(em, id);
      if (dto.departmentId) await this.assertDepartment(em, dto.departmentId);
      if (dto.code && dto.code !== current.code) await this.assertCodeFree(em, dto.code);
      const before = { ...current };
      const merged: Section = em.merge<Section>(Section, current, dto);
      const saved = await em.save(Section, merged);
      await this.audit.record(em, { actorUserId: actor.id, action: 'section.update', subjectType: 'section', subjectId: id, before, after: saved });
    });
    return this.get(id);
  }

  /** Closes the current name on the day before effectiveFrom and opens the new one; the id is kept. */
  async rename(id: number, dto: RenameSectionDto, actor: Actor): Promise<SectionView> {
    await this.dataSource.transaction((em) => this.renameIn(em, id, dto, actor));
    return this.get(id);
  }

  /** rename() in the caller's transaction. */
  async renameIn(em: EntityManager, id: number, dto: RenameSectionDto, actor: OrgActor): Promise<void> {
    const section = await this.lock(em, id);
    if (!section.active) throw DomainError.invalid('id', '統合・廃止された課の名称は変更できません');
    const name = dto.name.trim();
    if (name === section.name) throw DomainError.invalid('name', '現在と同じ名称です');
    const open = await em.findOne(SectionName, { where: { sectionId: id, validTo: IsNull() }, order: { validFrom: 'DESC', id: 'DESC' } });
    if (open && open.validFrom >= dto.effectiveFrom) {
      throw DomainError.invalid('effectiveFrom', `現在の名称の開始日 (${open.validFrom}) より後の日付を指定してください`);
    }
    if (open) await em.update(SectionName, { id: open.id }, { validTo: addDays(dto.effectiveFrom, -1) });
    else {
      // A section without a name history (created outside the API): record the name it had until now.
      const until = addDays(dto.effectiveFrom, -1);
      const created = tokyoToday(section.createdAt);
      await em.insert(SectionName, { sectionId: id, name: section.name, validFrom: created < until ? created : until, validTo: until, note: null });
    }
    await em.insert(SectionName, { sectionId: id, name, validFrom: dto.effectiveFrom, validTo: null, note: `旧 ${section.name}` });
    await em.update(Section, { id }, { name });
    await this.audit.record(em, {
      actorUserId: actor.id,
      action: 'section.rename',
      subjectType: 'section',
      subjectId: id,
      before: { name: section.name },
      after: { name, effectiveFrom: dto.effectiveFrom },
    });
  }

  /**
   * Retires the section into another: the source becomes inactive with merged_into_id, and
   * its item responsibilities move to the target (an item both already share keeps the
   * target's row). Past entries keep pointing at the source, so history stays intact.
   */
  async merge(id: number, dto: MergeSectionDto, actor: Actor): Promise<{ source: SectionView; target: SectionView; movedItems: number; skippedItems: number }> {
    const counts = await this.dataSource.transaction((em) => this.mergeIn(em, id, dto, actor));
    return { source: await this.get(id), target: await this.get(dto.intoSectionId), ...counts };
  }

  /** merge() in the caller's transaction. */
  async mergeIn(em: EntityManager, id: number, dto: MergeSectionDto, actor: OrgActor): Promise<{ movedItems: number; skippedItems: number }> {
    if (dto.intoSectionId === id) throw DomainError.invalid('intoSectionId', '統合先に同じ課は指定できません');
    // Lock both in id order so two opposite merges cannot deadlock.
    const [first, second] = [id, dto.intoSectionId].sort((a, b) => a - b);
    await em.query(`SELECT id FROM sections WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, [first, second]);
    const source = await em.findOneBy(Section, { id });
    if (!source) throw DomainError.notFound('課', id);
    const target = await em.findOneBy(Section, { id: dto.intoSectionId });
    if (!target) throw DomainError.invalid('intoSectionId', `課 ${dto.intoSectionId} が見つかりません`);
    if (!source.active) throw DomainError.invalid('id', 'この課は既に統合・廃止されています');
    if (!target.active) throw DomainError.invalid('intoSectionId', '統合先の課は統合・廃止されています');
    const { moved, skipped } = await this.sectionItems.moveSectionItems(em, id, target.id);
    await em.query(`UPDATE section_names SET valid_to = $2::date - 1, note = $3 WHERE section_id = $1 AND valid_to IS NULL`, [
      id,
      dto.effectiveFrom,
      `${target.name}に統合`,
    ]);
    await em.update(Section, { id }, { active: false, mergedIntoId: target.id });
    const result = { movedItems: moved, skippedItems: skipped };
    await this.audit.record(em, {
      actorUserId: actor.id,
      action: 'section.merge',
      subjectType: 'section',
      subjectId: id,
      before: { active: true, mergedIntoId: null },
      after: { active: false, mergedIntoId: target.id, effectiveFrom: dto.effectiveFrom, ...result },
    });
    return result;
  }

  /** Moves a section to another department (機構改革); its id, name history and items stay. Audited. */
  async moveIn(em: EntityManager, id: number, departmentId: number, effectiveFrom: string, actor: OrgActor): Promise<void> {
    const section = await this.lock(em, id);
    if (!section.active) throw DomainError.invalid('id', '統合・廃止された課は移せません');
    await this.assertDepartment(em, departmentId);
    if (section.departmentId === departmentId) throw DomainError.invalid('departmentId', '現在と同じ部です');
    await em.update(Section, { id }, { departmentId });
    await this.audit.record(em, {
      actorUserId: actor.id,
      action: 'section.move',
      subjectType: 'section',
      subjectId: id,
      before: { departmentId: section.departmentId },
      after: { departmentId, effectiveFrom },
    });
  }

  private async lock(em: EntityManager, id: number): Promise<Section> {
    const section = await em.findOne(Section, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!section) throw DomainError.notFound('課', id);
    return section;
  }

  private async assertDepartment(em: EntityManager, departmentId: number): Promise<void> {
    const [row] = await em.query(`SELECT 1 FROM departments WHERE id = $1`, [departmentId]);
    if (!row) throw DomainError.invalid('departmentId', `部 ${departmentId} が見つかりません`);
  }

  private async assertCodeFree(em: EntityManager, code: string): Promise<void> {
    if (await em.existsBy(Section, { code })) {
      throw new DomainError('conflict', `課コード ${code} は既に使われています`, { field: 'code' });
    }
  }
}
