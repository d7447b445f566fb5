import { Body, Controller, Delete, Get, HttpCode, Param, ParseBoolPipe, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { DepartmentsService } from './departments.service';
import { CreateDepartmentDto, RenameDepartmentDto, UpdateDepartmentDto } from './dto/department.dto';
import { CreateSectionDto, MergeSectionDto, RenameSectionDto, UpdateSectionDto } from './dto/section.dto';
import { SectionsService } from './sections.service';
import { DepartmentDetailDto, DepartmentDto, SectionDto, SectionMergeDto, SectionRowDto } from './dto/org.response';

/** Departments (部) and sections (課): everyone reads, planning and admin write. */
@ApiTags('org')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly sections: SectionsService,
  ) {}

  @Get('departments')
  @ApiOkResponse({ type: DepartmentDto, isArray: true })
  listDepartments() {
    return this.departments.list();
  }

  @Get('departments/:id')
  @ApiOkResponse({ type: DepartmentDetailDto })
  getDepartment(@Param('id', IdPipe) id: number) {
    return this.departments.get(id);
  }

  @Post('departments')
  @ApiCreatedResponse({ type: DepartmentDto })
  @Roles('planning', 'admin')
  createDepartment(@Body() dto: CreateDepartmentDto, @CurrentActor() actor: Actor) {
    return this.departments.create(dto, actor);
  }

  @Patch('departments/:id')
  @ApiOkResponse({ type: DepartmentDto })
  @Roles('planning', 'admin')
  updateDepartment(@Param('id', IdPipe) id: number, @Body() dto: UpdateDepartmentDto, @CurrentActor() actor: Actor) {
    return this.departments.update(id, dto, actor);
  }

  /** A new name from a date; reports of periods ending before it keep the old name. */
  @Post('departments/:id/rename')
  @ApiOkResponse({ type: DepartmentDetailDto })
  @Roles('planning', 'admin')
  @HttpCode(200)
  renameDepartment(@Param('id', IdPipe) id: number, @Body() dto: RenameDepartmentDto, @CurrentActor() actor: Actor) {
    return this.departments.rename(id, dto, actor);
  }

  @Delete('departments/:id')
  @ApiNoContentResponse()
  @Roles('planning', 'admin')
  @HttpCode(204)
  removeDepartment(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.departments.remove(id, actor);
  }

  @Get('sections')
  @ApiOkResponse({ type: SectionRowDto, isArray: true })
  @ApiQuery({ name: 'departmentId', required: false })
  @ApiQuery({ name: 'includeInactive', required: false })
  listSections(
    @Query('departmentId', new ParseIntPipe({ optional: true })) departmentId?: number,
    @Query('includeInactive', new ParseBoolPipe({ optional: true })) includeInactive?: boolean,
  ) {
    return this.sections.list({ departmentId, includeInactive });
  }

  @Get('sections/:id')
  @ApiOkResponse({ type: SectionDto })
  getSection(@Param('id', IdPipe) id: number) {
    return this.sections.get(id);
  }

  @Post('sections')
  @ApiCreatedResponse({ type: SectionDto })
  @Roles('planning', 'admin')
  createSection(@Body() dto: CreateSectionDto, @CurrentActor() actor: Actor) {
    return this.sections.create(dto, actor);
  }

  @Patch('sections/:id')
  @ApiOkResponse({ type: SectionDto })
  @Roles('planning', 'admin')
  updateSection(@Param('id', IdPipe) id: number, @Body() dto: UpdateSectionDto, @CurrentActor() actor: Actor) {
    return this.sections.update(id, dto, actor);
  }

  /** Sections are never deleted (items and entries refer to them): this retires one. */
  @Delete('sections/:id')
  @ApiOkResponse({ type: SectionDto })
  @Roles('planning', 'admin')
  deactivateSection(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.sections.update(id, { active: false }, actor);
  }

  @Post('sections/:id/rename')
  @ApiOkResponse({ type: SectionDto })
  @Roles('planning', 'admin')
  @HttpCode(200)
  renameSection(@Param('id', IdPipe) id: number, @Body() dto: RenameSectionDto, @CurrentActor() actor: Actor) {
    return this.sections.rename(id, dto, actor);
  }

  @Post('sections/:id/merge')
  @ApiOkResponse({ type: SectionMergeDto })
  @Roles('planning', 'admin')
  @HttpCode(200)
  mergeSection(@Param('id', IdPipe) id: number, @Body() dto: MergeSectionDto, @CurrentActor() actor: Actor) {
    return this.sections.merge(id, dto, actor);
  }
}
