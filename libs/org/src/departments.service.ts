import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { addDays, tokyoToday, type Actor } from '@app/domain';
import { CreateDepartmentDto, RenameDepartmentDto, UpdateDepartmentDto } from './dto/department.dto';
import { DepartmentName } from './entities/department-name.entity';
import { Department } from './entities/department.entity';
import type { OrgActor } from './org-actor';
import { DepartmentDirectory, DepartmentNamePeriod } from './directory/department-directory.service';

export interface DepartmentView extends Department {
  nameHistory: DepartmentNamePeriod[];
}

@Injectable()
export class DepartmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly departments: DepartmentDirectory,
  ) {}

  list(): Promise<Department[]> {
    return this.dataSource.getRepository(Department).find({ order: { code: 'ASC' } });
  }

  async get(id: number): Promise<DepartmentView> {
    const department = await this.dataSource.getRepository(Department).findOneBy({ id });
    if (!department) throw DomainError.notFound('部', id);
    return { ...department, nameHistory: await this.departments.nameHistory(id) };
  }

  create(dto: CreateDepartmentDto, actor: Actor): Promise<Department> {
    return this.dataSource.transaction((em) => this.createIn(em, dto, actor));
  }

  /** create() in the caller's transaction (a 機構改革 file applies all its rows or none). */
  async createIn(em: EntityManager, dto: CreateDepartmentDto, actor: OrgActor): Promise<Department> {
    if (await em.existsBy(Department, { code: dto.code })) {
      throw new DomainError('conflict', `部コード ${dto.code} は既に使われています`, { field: 'code' });
    }
    const saved = await em.save(em.create(Department, { code: dto.code, name: dto.name, headUserId: null }));
    // Every department starts with a name history row, so a later rename has something to close.
    await em.insert(DepartmentName, { departmentId: saved.id, name: dto.name, validFrom: dto.validFrom ?? tokyoToday(), validTo: null, note: null });
    await this.audit.record(em, { actorUserId: actor.id, action: 'department.create', subjectType: 'department', subjectId: saved.id, after: saved });
    return saved;
  }

  /** Closes the current name on the day before effectiveFrom and opens the new one; the id is kept. */
  async rename(id: number, dto: RenameDepartmentDto, actor: Actor): Promise<DepartmentView> {
    await this.dataSource.transaction((em) => this.renameIn(em, id, dto.name, dto.effectiveFrom, actor));
    return this.get(id);
  }

  /**
   * rename() in the caller's transaction (機構改革). Reports of periods that end before
   * effectiveFrom print the old name (department_names, as section_names for sections).
   */
  async renameIn(em: EntityManager, id: number, newName: string, effectiveFrom: string, actor: OrgActor): Promise<void> {
    const current = await em.findOne(Department, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) throw DomainError.notFound('部', id);
    const name = newName.trim();
    if (current.name === name) throw DomainError.invalid('name', '現在と同じ名称です');
    const open = await em.findOne(DepartmentName, { where: { departmentId: id, validTo: IsNull() }, order: { validFrom: 'DESC', id: 'DESC' } });
    if (open && open.validFrom >= effectiveFrom) {
      throw DomainError.invalid('effectiveFrom', `現在の名称の開始日 (${open.validFrom}) より後の日付を指定してください`);
    }
    const until = addDays(effectiveFrom, -1);
    if (open) await em.update(DepartmentName, { id: open.id }, { validTo: until });
    else {
      // A department without a name history (created before it was kept): record the name it had until now.
      const created = tokyoToday(current.createdAt);
      await em.insert(DepartmentName, { departmentId: id, name: current.name, validFrom: created < until ? created : until, validTo: until, note: null });
    }
    await em.insert(DepartmentName, { departmentId: id, name, validFrom: effectiveFrom, validTo: null, note: `旧 ${current.name}` });
    await em.update(Department, { id }, { name });
    await this.audit.record(em, {
      actorUserId: actor.id,
      action: 'department.rename',
      subjectType: 'department',
      subjectId: id,
      before: { name: current.name },
      after: { name, effectiveFrom },
    });
  }

  update(id: number, dto: UpdateDepartmentDto, actor: Actor): Promise<Department> {
    return this.dataSource.transaction(async (em) => {
      const current = await em.findOne(Department, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw DomainError.notFound('部', id);
      if (dto.code && dto.code !== current.code && (await em.existsBy(Department, { code: dto.code }))) {
        throw new DomainError('conflict', `部コード ${dto.code} は既に使われています`, { field: 'code' });
      }
      if (dto.headUserId) {
        const [user] = await em.query(`SELECT id FROM users WHERE id = $1 AND active`, [dto.headUserId]);
        if (!user) throw DomainError.invalid('headUserId', `ユーザー ${dto.headUserId} が見つかりません`);
      }
      const before = { ...current };
      const merged: Department = em.merge<Department>(Department, current, dto);
      const saved = await em.save(Department, merged);
      // A name edited here corrects the current name (a typo), it is no rename: the open period
      // takes it too, so reports of that period print it. A rename from a date is POST …/rename.
      if (dto.name && dto.name !== before.name) await em.update(DepartmentName, { departmentId: id, validTo: IsNull() }, { name: dto.name });
      await this.audit.record(em, { actorUserId: actor.id, action: 'department.update', subjectType: 'department', subjectId: id, before, after: saved });
      return saved;
    });
  }

  /** Only an empty department can be deleted; sections are merged or moved first. */
  remove(id: number, actor: Actor): Promise<void> {
    return this.dataSource.transaction(async (em) => {
      const current = await em.findOne(Department, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw DomainError.notFound('部', id);
      const [used] = await em.query(`SELECT 1 FROM sections WHERE department_id = $1 LIMIT 1`, [id]);
      if (used) throw DomainError.conflict('課が所属している部は削除できません');
      await em.delete(Department, { id });
      await this.audit.record(em, { actorUserId: actor.id, action: 'department.delete', subjectType: 'department', subjectId: id, before: current });
    });
  }
}
