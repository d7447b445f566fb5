import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiBoolean } from '@app/common';
import { Public } from '@app/auth';
import { AppConfig } from '@app/config';

/** What the UI shows about this installation before anyone signs in. */
export class SystemInfo {
  /** A demo installation (DEMO_MODE): the UI says 「デモ環境」 in its header and on the login page. */
  @ApiBoolean('a demo installation: the UI says 「デモ環境」') demo: boolean;
}

@ApiTags('system')
@Controller('system-info')
export class SystemInfoController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SystemInfo })
  info(): SystemInfo {
    return { demo: this.config.DEMO_MODE };
  }
}

@Module({ controllers: [SystemInfoController] })
export class SystemInfoModule {}
