import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import type { Actor } from '@app/domain';
import { CreateDepartmentDto, UpdateDepartmentDto } from './dto/department.dto';
import { Department } from './entities/department.entity';

@Injectable()
export class DepartmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Department[]> {
    return this.dataSource.getRepository(Department).find({ order: { code: 'ASC' } });
  }

  async get(id: number): Promise<Department> {
    const department = await this.dataSource.getRepository(Department).findOneBy({ id });
    if (!department) throw DomainError.notFound('部', id);
    return department;
  }

  create(dto: CreateDepartmentDto, actor: Actor): Promise<Department> {
    return this.dataSource.transaction((em) => this.createIn(em, dto, actor));
  }

  /** create() in the caller's transaction (a 機構改革 file applies all its rows or none). */
  async createIn(em: EntityManager, dto: CreateDepartmentDto, actor: Actor): Promise<Department> {
    if (await em.existsBy(Department, { code: dto.code })) {
      throw new DomainError('conflict', `部コード ${dto.code} は既に使われています`, { field: 'code' });
    }
    const saved = await em.save(em.create(Department, { code: dto.code, name: dto.name, headUserId: null }));
    await this.audit.record(em, { actorUserId: actor.id, action: 'department.create', subjectType: 'department', subjectId: saved.id, after: saved });
    return saved;
  }

  /**
   * A department's new name (機構改革). Departments keep no name history: reports print the
   * sections by the names of their period and the department by its current name.
   */
  async renameIn(em: EntityManager, id: number, name: string, effectiveFrom: string, actor: Actor): Promise<void> {
    const current = await em.findOne(Department, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) throw DomainError.notFound('部', id);
    if (current.name === name) throw DomainError.invalid('name', '現在と同じ名称です');
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
