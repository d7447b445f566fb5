import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth';
import { TenantsService } from '@app/database';

/**
 * A municipality's logo at /public/logo/<tenant id>, for the app's header and its public pages: on
 * this origin (the CSP's img-src 'self'), without login (a logo is as public as the name), with
 * the version in the address (?v=) so an edit shows at once. An SVG is served under a CSP that
 * allows nothing and sandboxes it, should it ever be opened as a page.
 */
@ApiExcludeController()
@Public()
@Controller('public/logo')
export class PublicLogoController {
  constructor(private readonly tenants: TenantsService) {}

  @Get(':id')
  async logo(@Param('id') raw: string, @Res() res: Response) {
    const logo = /^\d{1,9}$/.test(raw) ? await this.tenants.logo(Number(raw)) : null;
    if (!logo) {
      res.status(404).setHeader('Cache-Control', 'no-cache');
      return res.type('text/plain; charset=utf-8').send('ロゴはありません');
    }
    res.setHeader('Content-Type', logo.type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    res.setHeader('Content-Disposition', `inline; filename="logo.${logo.type === 'image/png' ? 'png' : 'svg'}"`);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', `"logo-${raw}-${logo.version}"`);
    res.end(logo.bytes);
  }
}
