import { Controller, Get, Module } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { AppConfig } from '@app/config';

/** What the UI shows about this installation before anyone signs in. */
export interface SystemInfo {
  /** A demo installation (DEMO_MODE): the UI says 「デモ環境」 in its header and on the login page. */
  demo: boolean;
}

@ApiTags('system')
@Controller('system-info')
export class SystemInfoController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Public()
  info(): SystemInfo {
    return { demo: this.config.DEMO_MODE };
  }
}

@Module({ controllers: [SystemInfoController] })
export class SystemInfoModule {}
