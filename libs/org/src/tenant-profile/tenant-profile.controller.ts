import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  Delete,
  ExceptionFilter,
  Get,
  HttpCode,
  Patch,
  PayloadTooLargeException,
  Post,
  Query,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '@app/auth';
import { errorBody, sendErrorBody } from '@app/common';
import { MAX_LOGO_BYTES, type Actor } from '@app/domain';
import { LogoVersionDto, TenantProfileDto, UpdateTenantProfileDto } from './tenant-profile.dto';
import { TenantProfileService } from './tenant-profile.service';

/** Multer stops a file over the limit before the check sees it: the same 422 on `file` as the check's. */
@Catch(PayloadTooLargeException)
class LogoTooLargeFilter implements ExceptionFilter {
  catch(_: PayloadTooLargeException, host: ArgumentsHost): void {
    const message = `file: ファイルが大きすぎます（上限 ${MAX_LOGO_BYTES / 1024} KB）`;
    sendErrorBody(host.switchToHttp().getResponse<Response>(), errorBody(422, 'invalid', message, { field: 'file' }));
  }
}

/** 団体設定: the signed-in municipality's own profile (the request's tenant; never another's), for its administrators. */
@ApiTags('org')
@ApiBearerAuth()
@Roles('admin')
@Controller('org/tenant')
export class TenantProfileController {
  constructor(private readonly profiles: TenantProfileService) {}

  @Get()
  @ApiOkResponse({ type: TenantProfileDto })
  get() {
    return this.profiles.get();
  }

  @Patch()
  @ApiOkResponse({ type: TenantProfileDto })
  update(@Body() dto: UpdateTenantProfileDto, @CurrentActor() actor: Actor) {
    return this.profiles.update(dto, actor);
  }

  /** A PNG or SVG (checked by its bytes: no script, nothing fetched; at most 256 KB), replacing the one before. */
  @Post('logo')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantProfileDto })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, version: { type: 'integer' } } } })
  @UseFilters(LogoTooLargeFilter)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_LOGO_BYTES, files: 1 } }))
  replaceLogo(@UploadedFile() file: { buffer: Buffer } | undefined, @Body() dto: LogoVersionDto, @CurrentActor() actor: Actor) {
    return this.profiles.replaceLogo(file, dto.version, actor);
  }

  @Delete('logo')
  @ApiOkResponse({ type: TenantProfileDto })
  removeLogo(@Query() dto: LogoVersionDto, @CurrentActor() actor: Actor) {
    return this.profiles.removeLogo(dto.version, actor);
  }
}
