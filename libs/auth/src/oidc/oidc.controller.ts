import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { Public } from '../auth.decorators';
import { SsoExchangeDto } from '../dto/sso-exchange.dto';
import { sessionClient } from '../session-request';
import { FLOW_SECONDS, OidcService, SsoError } from './oidc.service';
import { ssoErrorPage } from './sso-page';
import { OidcStatusDto, SignedInDto } from '../dto/auth.response';

/** Binds a sign-in to the browser that started it; not a credential (HttpOnly, only under this path). */
const STATE_COOKIE = 'hyoka_sso_state';
const COOKIE_PATH = '/api/auth/oidc';

/** Single sign-on (OpenID Connect). Every step is public: the person is not signed in yet. */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly config: AppConfig,
  ) {}

  /** Whether the login page offers 「シングルサインオンでログイン」. */
  @Get()
  @ApiOkResponse({ type: OidcStatusDto })
  @Public()
  status() {
    return { enabled: this.oidc.enabled };
  }

  /** Sends the browser to the identity provider. `next`: the page to open after signing in. */
  @Get('start')
  @ApiFoundResponse({ description: 'to the identity provider' })
  @Public()
  @ApiQuery({ name: 'next', required: false })
  @ApiQuery({ name: 't', required: false, description: 'the municipality (全国地方公共団体コード) of an installation that serves several' })
  async start(@Query('next') next: string | undefined, @Query('t') tenant: string | undefined, @Res() res: Response): Promise<void> {
    try {
      const { url, state } = await this.oidc.start(typeof next === 'string' ? next : null, typeof tenant === 'string' && tenant ? tenant : null);
      res.cookie(STATE_COOKIE, state, this.cookieOptions(FLOW_SECONDS * 1000));
      res.redirect(302, url);
    } catch (error) {
      this.refuse(res, error);
    }
  }

  /** The identity provider sends the browser back here; the web UI gets a one-time code in its URL fragment. */
  @Get('callback')
  @ApiFoundResponse({ description: 'to the web UI, with a one-time code in the URL fragment' })
  @Public()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const { code, next } = await this.oidc.callback(search, stateCookie(req));
      const fragment = new URLSearchParams({ sso: code, ...(next ? { next } : {}) });
      res.redirect(302, `${this.webUrl()}/#/login?${fragment}`);
    } catch (error) {
      this.refuse(res, error);
    }
  }

  /** The web UI trades the one-time code for its session token. */
  @Post('exchange')
  @ApiOkResponse({ type: SignedInDto })
  @Public()
  @HttpCode(200)
  async exchange(@Body() dto: SsoExchangeDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const answer = await this.oidc.exchange(dto.code, stateCookie(req), sessionClient(req));
    res.clearCookie(STATE_COOKIE, this.cookieOptions());
    return answer;
  }

  private refuse(res: Response, error: unknown): void {
    if (!(error instanceof SsoError)) throw error;
    res.clearCookie(STATE_COOKIE, this.cookieOptions());
    res
      .status(error.status)
      .type('html')
      .send(ssoErrorPage(error.message, `${this.webUrl()}/#/login`, res.locals.cspNonce as string | undefined));
  }

  private webUrl(): string {
    return this.config.PUBLIC_URL.replace(/\/+$/, '');
  }

  private cookieOptions(maxAge?: number) {
    // Lax: sent on the IdP's top-level redirect back to the callback, never on cross-site subrequests.
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.config.PUBLIC_URL.startsWith('https://'),
      path: COOKIE_PATH,
      ...(maxAge ? { maxAge } : {}),
    };
  }
}

/** The state cookie, read by hand: the api has no cookie parser and needs this one cookie only. */
function stateCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === STATE_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
