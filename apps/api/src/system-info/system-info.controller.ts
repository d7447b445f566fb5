import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiBoolean, ApiNullableObject, ApiNullableString, ApiString } from '@app/common';
import { Public } from '@app/auth';
import { AppConfig } from '@app/config';
import { logoPath, TenantsService } from '@app/database';

/** The municipality the request runs as (X-Tenant, else the token's; a single-city installation's own). */
export class SystemMunicipality {
  @ApiNullableString('全国地方公共団体コード') code: string | null;
  @ApiString() name: string;
  @ApiNullableString('its logo on this origin, null without one') logoUrl: string | null;
}

/** What the UI shows about this installation before anyone signs in. */
export class SystemInfo {
  /** A demo installation (DEMO_MODE): the UI says 「デモ環境」 in its header and on the login page. */
  @ApiBoolean('a demo installation: the UI says 「デモ環境」') demo: boolean;
  @ApiBoolean('TENANCY=multi: the UI names its municipality (X-Tenant) on every call') multiTenant: boolean;
  @ApiNullableObject(() => SystemMunicipality, 'null in a multi-tenant installation when no municipality is named')
  municipality: SystemMunicipality | null;
}

@ApiTags('system')
@Controller('system-info')
export class SystemInfoController {
  constructor(
    private readonly config: AppConfig,
    private readonly tenants: TenantsService,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SystemInfo })
  info(): SystemInfo {
    const multiTenant = this.config.TENANCY === 'multi';
    const own = this.tenants.tenantConfig();
    const profile = this.tenants.currentProfile();
    const municipality =
      multiTenant && !profile ? null : { code: own.MUNICIPALITY_CODE || null, name: own.MUNICIPALITY_NAME, logoUrl: profile ? logoPath(profile) : null };
    return { demo: this.config.DEMO_MODE, multiTenant, municipality };
  }
}

@Module({ controllers: [SystemInfoController] })
export class SystemInfoModule {}
