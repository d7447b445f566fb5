import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { attachmentDisposition, IdPipe } from '@app/common';
import { CreateItemDto, ListItemsQuery, UpdateItemDto } from './dto/item.dto';
import { ExportFile, ItemExportService } from './export/item-export.service';
import { FileTooLargeFilter } from './import/file-too-large.filter';
import { ItemImportService } from './import/item-import.service';
import { MAX_IMPORT_BYTES, UploadedTable, XLSX_MIME } from './import/read-table';
import { ItemsService } from './items.service';
import { ItemDto, ItemImportResultDto } from './dto/plan-item.response';

/**
 * Plan items. Planning/admin/evaluators read every item; staff and chiefs only their
 * section's (another section's item by id is 403). Only planning/admin write.
 */
@ApiTags('items')
@ApiBearerAuth()
@Controller()
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly importer: ItemImportService,
    private readonly exporter: ItemExportService,
  ) {}

  @Get('plans/:planId/items')
  @ApiOkResponse({ type: ItemDto, isArray: true })
  list(@Param('planId', IdPipe) planId: number, @Query() query: ListItemsQuery, @CurrentActor() actor: Actor) {
    return this.items.list(planId, query, actor);
  }

  @Post('plans/:planId/items')
  @ApiCreatedResponse({ type: ItemDto })
  @Roles('planning', 'admin')
  create(@Param('planId', IdPipe) planId: number, @Body() dto: CreateItemDto, @CurrentActor() actor: Actor) {
    return this.items.create(planId, dto, actor);
  }

  @Get('plans/:planId/items/import-template.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @Roles('planning', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="items-import-template.csv"')
  template(@Param('planId', IdPipe) planId: number) {
    return this.importer.template(planId);
  }

  /** Every item in the import's own columns and cell formats: export, edit in Excel, import. */
  @Get('plans/:planId/items/export.csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @Roles('planning', 'admin')
  @ApiProduces('text/csv')
  async exportCsv(@Param('planId', IdPipe) planId: number, @CurrentActor() actor: Actor) {
    return download(await this.exporter.csv(planId, actor), 'text/csv; charset=utf-8');
  }

  @Get('plans/:planId/items/export.xlsx')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @Roles('planning', 'admin')
  @ApiProduces(XLSX_MIME)
  async exportXlsx(@Param('planId', IdPipe) planId: number, @CurrentActor() actor: Actor) {
    return download(await this.exporter.xlsx(planId, actor), XLSX_MIME);
  }

  @Post('plans/:planId/items/import')
  @ApiOkResponse({ type: ItemImportResultDto })
  @Roles('planning', 'admin')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseFilters(FileTooLargeFilter)
  // Browsers send the file name in UTF-8 without saying so; multer would read it as latin1 (the audit records it).
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 }, defParamCharset: 'utf8' }))
  import(@Param('planId', IdPipe) planId: number, @UploadedFile() file: UploadedTable | undefined, @CurrentActor() actor: Actor) {
    return this.importer.import(planId, file, actor);
  }

  @Get('items/:id')
  @ApiOkResponse({ type: ItemDto })
  get(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.items.get(id, actor);
  }

  @Patch('items/:id')
  @ApiOkResponse({ type: ItemDto })
  @Roles('planning', 'admin')
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateItemDto, @CurrentActor() actor: Actor) {
    return this.items.update(id, dto, actor);
  }

  @Delete('items/:id')
  @ApiNoContentResponse()
  @Roles('planning', 'admin')
  @HttpCode(204)
  remove(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.items.remove(id, actor);
  }
}

/** The file is built before any byte is sent, so a missing plan is still a proper 404. */
function download(file: ExportFile, type: string): StreamableFile {
  return new StreamableFile(file.body, { type, disposition: attachmentDisposition(file.filename, file.fallback), length: file.body.length });
}
