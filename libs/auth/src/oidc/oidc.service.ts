import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { AppConfig, ssoEnabled } from '@app/config';
import { DomainError } from '@app/common';
import type { Actor } from '@app/domain';
import { runInTenant, TenantsService } from '@app/database';
import { createRedisClient, type RedisClient } from '@app/queue';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { AuthService } from '../auth.service';
import { SessionsService } from '../sessions.service';
import type { SessionClient } from '../sessions.service';

/** A refusal of the single sign-on flow, shown to the person as a Japanese page with this status. */
export class SsoError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Flow {
  verifier: string;
  nonce: string;
  next: string | null;
  /** The municipality the sign-in is for (decided at its start: the callback carries no header). */
  tenantId: number | null;
}

/** How long a started sign-in may take at the identity provider. */
export const FLOW_SECONDS = 600;
/** How long the web UI has to exchange the one-time code for its token. */
const CODE_SECONDS = 60;

const NOT_CONFIGURED = 'シングルサインオンは設定されていません。ログインIDとパスワードでログインしてください';
const BAD_STATE = 'シングルサインオンの手続きが正しくないか、期限が切れています。ログイン画面からもう一度やり直してください';

/**
 * Single sign-on by OpenID Connect (openid-client): the authorization-code flow with PKCE,
 * state and nonce. The flow's secrets wait in Redis (shared by every api instance) under the
 * state, which the browser also carries in a cookie, so a callback only completes in the browser
 * that started it. The IdP user is mapped to an existing active user by OIDC_USER_CLAIM, never
 * created. The token does not travel in a URL: the callback hands the web UI a one-time code
 * (60 s, bound to the same cookie) that it exchanges over POST.
 */
@Injectable()
export class OidcService implements OnModuleDestroy {
  private readonly logger = new Logger('SSO');
  private server?: Promise<oidc.Configuration>;
  private redisClient?: RedisClient;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UserDirectory,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly tenants: TenantsService,
  ) {}

  get enabled(): boolean {
    return ssoEnabled(this.config);
  }

  /** Where the IdP sends the browser back; registered there. */
  get redirectUrl(): string {
    return this.config.OIDC_REDIRECT_URL ?? `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/api/auth/oidc/callback`;
  }

  /**
   * Starts a sign-in: the IdP's authorization URL, and the state the browser must carry back.
   * `tenantCode`: the municipality (`?t=` of the start link; the browser's navigation to the IdP
   * and back sends no X-Tenant), required when the installation serves several; the user is then
   * looked up in that municipality only, and the session is its.
   */
  async start(next: string | null, tenantCode: string | null = null): Promise<{ url: string; state: string }> {
    const server = await this.discover();
    const tenantId = await this.tenantOf(tenantCode);
    const state = oidc.randomState();
    const flow: Flow = { verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce(), next: safeNext(next), tenantId };
    await this.redis().set(this.key('flow', state), JSON.stringify(flow), 'EX', FLOW_SECONDS);
    const url = oidc.buildAuthorizationUrl(server, {
      redirect_uri: this.redirectUrl,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state,
      nonce: flow.nonce,
    });
    return { url: url.href, state };
  }

  /**
   * The IdP's answer: verified (state, PKCE, nonce, the ID token's signature, issuer, audience),
   * and mapped to an active user. Answers the one-time code the web UI exchanges for a session.
   */
  async callback(search: string, browserState: string | undefined): Promise<{ code: string; next: string | null }> {
    if (!this.enabled) throw new SsoError(404, NOT_CONFIGURED);
    const params = new URLSearchParams(search);
    const state = params.get('state');
    if (params.get('error')) {
      if (state) await this.redis().del(this.key('flow', state));
      throw new SsoError(
        400,
        `シングルサインオンでログインできませんでした（${params.get('error_description') || params.get('error')}）。ログイン画面からもう一度やり直してください`,
      );
    }
    // The state must be the one this browser started with, and unused.
    if (!state || !browserState || state !== browserState) throw new SsoError(400, BAD_STATE);
    const raw = await this.redis().getdel(this.key('flow', state));
    if (!raw) throw new SsoError(400, BAD_STATE);
    const flow = JSON.parse(raw) as Flow;
    const server = await this.discover();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(server, new URL(`${this.redirectUrl}?${search}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      claims = idToken;
      // A conforming provider may put profile and email claims in UserInfo only (OIDC Core 5.4).
      if (claims[this.config.OIDC_USER_CLAIM] === undefined) {
        claims = { ...(await oidc.fetchUserInfo(server, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch (error) {
      this.logger.warn(`callback refused: ${(error as Error).message}`);
      throw new SsoError(400, 'シングルサインオンの応答を確認できませんでした。ログイン画面からもう一度やり直してください');
    }
    const userId = await this.inTenant(flow.tenantId ?? null, () => this.mapUser(claims));
    const code = randomBytes(32).toString('base64url');
    await this.redis().set(this.key('code', digest(code)), JSON.stringify({ userId, state, tenantId: flow.tenantId ?? null }), 'EX', CODE_SECONDS);
    return { code, next: flow.next };
  }

  /**
   * The web UI trades the one-time code, in the browser that signed in, for a new session and
   * its token (so neither a URL nor Redis ever holds a token).
   */
  async exchange(code: string, browserState: string | undefined, client: SessionClient): Promise<{ accessToken: string; actor: Actor }> {
    if (!this.enabled) throw new DomainError('not_found', NOT_CONFIGURED);
    const raw = await this.redis().getdel(this.key('code', digest(code)));
    const handed = raw ? (JSON.parse(raw) as { userId: number; state: string; tenantId: number | null }) : null;
    const refused = () => new DomainError('unauthorized', 'シングルサインオンのログインが無効か期限切れです。もう一度ログインしてください');
    if (!handed || handed.state !== browserState) throw refused();
    // The exchange names its municipality too (X-Tenant): it must be the one the sign-in was for.
    if (handed.tenantId !== null && this.tenants.current() !== null && this.tenants.current() !== handed.tenantId) throw refused();
    return this.inTenant(handed.tenantId, async () => {
      const actor = await this.auth.loadActor(handed.userId); // still active?
      return { accessToken: await this.sessions.open(handed.userId, 'sso', client), actor };
    });
  }

  /** The tenant a sign-in is for: the code's, else (one municipality only) the installation's. */
  private async tenantOf(code: string | null): Promise<number | null> {
    if (code) {
      const id = /^\d{6}$/.test(code) ? await this.tenants.byCode(code) : null;
      if (id === null) throw new SsoError(404, `地方公共団体コード ${code.slice(0, 12)} の団体はありません。ログイン画面からもう一度やり直してください`);
      return id;
    }
    const current = this.tenants.current();
    if (current === null) {
      throw new SsoError(400, 'ログインする団体（地方公共団体コード）が指定されていません。団体のログイン画面からやり直してください');
    }
    return current;
  }

  private inTenant<T>(tenantId: number | null, fn: () => Promise<T>): Promise<T> {
    return tenantId === null ? fn() : runInTenant(tenantId, fn);
  }

  /** The organisation user the ID token names: existing and active, or refused (403). */
  private async mapUser(claims: Record<string, unknown>): Promise<number> {
    const claim = this.config.OIDC_USER_CLAIM;
    const value = claims[claim];
    if (typeof value !== 'string' || !value.trim()) {
      throw new SsoError(403, `シングルサインオンの応答に利用者を識別する項目（${claim}）がありません。管理者にお問い合わせください`);
    }
    if (claim === 'email' && claims.email_verified === false) {
      throw new SsoError(403, 'シングルサインオンのメールアドレスが確認済みではないため、ログインできません。管理者にお問い合わせください');
    }
    const rows: { id: number; active: boolean }[] =
      claim === 'email' ? await this.users.idsAndActiveByEmail(value.trim()) : await this.users.idsAndActiveByLogin(value.trim());
    const active = rows.filter((r) => r.active);
    // Several users with one address cannot be told apart: refused rather than guessed.
    if (active.length !== 1) {
      this.logger.warn(`no single active user for ${claim}=${JSON.stringify(value)} (${rows.length} found, ${active.length} active)`);
      throw new SsoError(403, `シングルサインオンの利用者「${value}」に対応する有効な利用者が登録されていません。管理者にお問い合わせください`);
    }
    return active[0].id;
  }

  /** The IdP's metadata, read once (and again after a failure, e.g. the IdP was down at boot). */
  private discover(): Promise<oidc.Configuration> {
    if (!this.enabled) return Promise.reject(new SsoError(404, NOT_CONFIGURED));
    const issuer = new URL(this.config.OIDC_ISSUER!);
    const secret = this.config.OIDC_CLIENT_SECRET;
    // Plain HTTP only outside production (loadConfig refuses it there): a local test provider.
    const execute = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    this.server ??= oidc.discovery(issuer, this.config.OIDC_CLIENT_ID!, secret, secret ? undefined : oidc.None(), { execute, timeout: 10 }).catch((error) => {
      this.server = undefined;
      this.logger.warn(`discovery of ${issuer.href} failed: ${(error as Error).message}`);
      throw new SsoError(503, 'シングルサインオンの認証サーバーに接続できません。しばらくしてから再度お試しいただくか、パスワードでログインしてください');
    });
    return this.server;
  }

  private redis(): RedisClient {
    if (!this.redisClient) {
      // Its own connection with short retries, made only when SSO is used.
      this.redisClient = createRedisClient(this.config, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
      this.redisClient.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    }
    return this.redisClient;
  }

  private key(kind: 'flow' | 'code', id: string): string {
    return `${this.config.QUEUE_PREFIX}:sso:${kind}:${id}`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.redisClient?.quit().catch(() => this.redisClient?.disconnect());
  }
}

/** Only a path inside the web UI: never another site (an open redirect). */
function safeNext(next: string | null): string | null {
  return next && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next.slice(0, 500) : null;
}

/** Codes are kept hashed: what Redis holds cannot be exchanged. */
function digest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
