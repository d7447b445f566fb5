import { Controller, HttpCode, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { FileTooLargeFilter } from '@app/plan-items/import/file-too-large.filter';
import { MAX_IMPORT_BYTES, UploadedTable } from '@app/plan-items/import/read-table';
import { ReformReportDto } from '../dto/personnel.response';
import { OrgReformService } from './org-reform.service';

const FILE_BODY = { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } };

/** 機構改革 (bulk organisation changes) for the planning division and administrators. */
@ApiTags('personnel')
@ApiBearerAuth()
@Roles('planning', 'admin')
@Controller('org/reforms')
export class OrgReformController {
  constructor(private readonly reforms: OrgReformService) {}

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

  /** Applies every row or none (422 with the report). */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: ReformReportDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @UseFilters(FileTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  apply(@UploadedFile() file: UploadedTable | undefined, @CurrentActor() actor: Actor) {
    return this.reforms.apply(file, actor);
  }
}
