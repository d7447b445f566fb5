import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentActor, Roles } from '@app/auth';
import { IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { FileTooLargeFilter } from '@app/plan-items/import/file-too-large.filter';
import { MAX_IMPORT_BYTES, UploadedTable } from '@app/plan-items/import/read-table';
import { ReformCancelledDto, ReformDto, ReformRegisteredDto, ReformReportDto } from '../dto/personnel.response';
import { OrgReformService } from './org-reform.service';

const FILE_BODY = { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } };
const REGISTER_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, mode: { type: 'string', enum: ['now', 'on_date'] } } },
};

export class RegisterReformDto {
  /** now: apply at once; on_date (default): on its 施行日 by the worker, at once when that day has come. */
  @IsOptional() @IsIn(['now', 'on_date']) mode?: 'now' | 'on_date';
}

/** 機構改革 (bulk organisation changes) for the planning division and administrators. */
@ApiTags('personnel')
@ApiBearerAuth()
@Roles('planning', 'admin')
@Controller('org/reforms')
export class OrgReformController {
  constructor(private readonly reforms: OrgReformService) {}

  /** The registered files, newest first: scheduled ones with their 施行日, applied, failed and cancelled ones. */
  @Get()
  @ApiOkResponse({ type: [ReformDto] })
  list() {
    return this.reforms.list();
  }

  /** Runs the file and rolls it back: the per-row report, nothing changed. */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: ReformReportDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @UseFilters(FileTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  preview(@UploadedFile() file: UploadedTable | undefined, @CurrentActor() actor: Actor) {
    return this.reforms.preview(file, actor);
  }

  /** Registers the file, every row or none (422 with the report): applied now, or on its 施行日. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: ReformRegisteredDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody(REGISTER_BODY)
  @UseFilters(FileTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  register(@UploadedFile() file: UploadedTable | undefined, @Body() dto: RegisterReformDto, @CurrentActor() actor: Actor) {
    return this.reforms.register(file, dto.mode ?? 'on_date', actor);
  }

  /** Withdraws a file not applied yet. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: ReformCancelledDto })
  cancel(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.reforms.cancel(id, actor);
  }
}
