import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentActor, Roles } from '@app/auth';
import { IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { FileTooLargeFilter } from '@app/plan-items/import/file-too-large.filter';
import { MAX_IMPORT_BYTES, UploadedTable } from '@app/plan-items/import/read-table';
import { TransferCancelledDto, TransferDetailDto, TransferDto, TransferPreviewDto, TransferRegisteredDto } from './dto/personnel.response';
import { TransfersService } from './transfers.service';

export class RegisterTransferDto {
  /** now: apply at once; on_date: each row on its 発令日 (the worker). */
  @IsOptional() @IsIn(['now', 'on_date']) mode?: 'now' | 'on_date';
}

const FILE_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, mode: { type: 'string', enum: ['now', 'on_date'] } } },
};

/** 人事異動 (bulk personnel transfers) for the planning division and administrators. */
@ApiTags('personnel')
@ApiBearerAuth()
@Roles('planning', 'admin')
@Controller('org/transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get()
  @ApiOkResponse({ type: [TransferDto] })
  list() {
    return this.transfers.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: TransferDetailDto })
  get(@Param('id', IdPipe) id: number) {
    return this.transfers.get(id);
  }

  /** The per-row report of a file; nothing is stored or applied. */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: TransferPreviewDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @UseFilters(FileTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  preview(@UploadedFile() file: UploadedTable | undefined) {
    return this.transfers.preview(file);
  }

  /** Registers the file (422 with the report when a row is wrong) and applies it now or on each 発令日. */
  @Post()
  @ApiCreatedResponse({ type: TransferRegisteredDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @UseFilters(FileTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  register(@UploadedFile() file: UploadedTable | undefined, @Body() dto: RegisterTransferDto, @CurrentActor() actor: Actor) {
    return this.transfers.register(file, dto.mode ?? 'on_date', actor);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TransferCancelledDto })
  cancel(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.transfers.cancel(id, actor);
  }
}
