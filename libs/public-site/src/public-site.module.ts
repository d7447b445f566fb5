import { Module } from '@nestjs/common';
import { ReportsModule } from '@app/reports';
import { PublicLogoController } from './public-logo.controller';
import { PublicSiteController } from './public-site.controller';
import { PublicSiteService } from './public-site.service';

/**
 * The public site (/public): pages, feeds and open data built from frozen publications only.
 * Imported by the api app after ReportsApiModule, so its catch-all 404 comes after every other
 * public route.
 */
@Module({ imports: [ReportsModule], controllers: [PublicLogoController, PublicSiteController], providers: [PublicSiteService] })
export class PublicSiteModule {}
