import type { AddressInfo } from 'node:net';
import { RatingScalesService } from '@app/cycles';
import { runInTenant, TenantsService } from '@app/database';
import { build, tenant } from './builder';
import { createTestApp, type TestApp } from './test-app';
import { adminClient } from './test-database';

/** A municipality's organisation: one section, its planning and staff users, a plan of four items. */
export interface MunicipalityFixture {
  id: number;
  code: string;
  section: number;
  staff: number;
  planId: number;
  items: number[];
}

/**
 * A prefecture and its municipalities in a TENANCY=multi app (test/prefecture*.e2e-spec.ts):
 * 埼玉県 (110001) with 入間市 (tenant 1, 112259) and 所沢市 (112089), and 千代田区 (131016)
 * outside it. Each municipality has a planning user 'kikaku' and a staff user 'tanto'; 埼玉県 a
 * planning user 'kikaku' and its 都道府県担当 'ken'. Tenants are the owner's to create.
 */
export class PrefectureWorld {
  readonly IRUMA = 1;
  pref = 0;
  tokorozawa = 0;
  chiyoda = 0;
  readonly tokens: Record<string, string> = {};
  readonly cycles: Record<string, number> = {};

  constructor(private readonly t: TestApp) {}

  /**
   * These suites' app (TENANCY=multi, 入間市 112259 as tenant 1) with the four tenants made; with
   * `listen`, on a loopback port a browser opens (`base`).
   */
  static async start(options: { listen?: boolean } = {}): Promise<{ t: TestApp; w: PrefectureWorld; base: string }> {
    const t = await createTestApp({ TENANCY: 'multi', MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259', LOGIN_RATE_LIMIT: '1000' });
    let base = '';
    if (options.listen) {
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    }
    const w = new PrefectureWorld(t);
    await w.tenants();
    return { t, w, base };
  }

  http(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, who: string, code: string) {
    return this.t.http()[method](path).set('X-Tenant', code).set('Authorization', `Bearer ${this.tokens[who]}`);
  }

  async signIn(who: string, code: string, login: string): Promise<void> {
    const res = await this.t.http().post('/api/auth/login').set('X-Tenant', code).send({ login, password: 'password' });
    if (res.status !== 200) throw new Error(`login ${login}@${code}: ${res.status} ${JSON.stringify(res.body)}`);
    this.tokens[who] = res.body.accessToken;
  }

  /** The four tenants (public sites registered for 入間市 and 所沢市), and 埼玉県's two users signed in as 'pref-planning' and 'pref'. */
  async tenants(): Promise<void> {
    const owner = await adminClient(this.t.config, this.t.config.DB_NAME);
    try {
      this.pref = await tenant(owner, { code: '110001', name: '埼玉県' });
      this.tokorozawa = await tenant(owner, { code: '112089', name: '所沢市', prefectureId: this.pref, publicUrl: 'https://hyoka.city.tokorozawa.example.jp' });
      this.chiyoda = await tenant(owner, { code: '131016', name: '千代田区' });
      await owner.query(`UPDATE tenants SET prefecture_id = $1, public_url = 'https://hyoka.city.iruma.example.jp' WHERE id = $2`, [this.pref, this.IRUMA]);
    } finally {
      await owner.end();
    }
    await this.t.app.get(TenantsService).readProfiles();
    await runInTenant(this.pref, async () => {
      await this.t.app.get(RatingScalesService).mirrorBuiltins();
      await build(this.t).user({ login: 'kikaku', roles: ['planning'], name: '埼玉県 企画' });
      await build(this.t).user({ login: 'ken', roles: ['prefecture'], name: '埼玉県 市町村課' });
    });
    await this.signIn('pref-planning', '110001', 'kikaku');
    await this.signIn('pref', '110001', 'ken');
  }

  /** A municipality's organisation and plan; its planning user signed in as '<code>-planning'. */
  async municipality(id: number, code: string, name: string): Promise<MunicipalityFixture> {
    const made = await runInTenant(id, async () => {
      await this.t.app.get(RatingScalesService).mirrorBuiltins();
      const b = build(this.t);
      const section = await b.section({ code: 's1', name: `${name}政策課` });
      await b.user({ login: 'kikaku', roles: ['planning'], section, name: `${name} 企画` });
      const staff = await b.user({ login: 'tanto', roles: ['staff'], section, name: `${name} 担当` });
      const planId = await b.plan({ code: 'sougou', name: `${name}総合計画` });
      const items: number[] = [];
      for (const n of [1, 2, 3, 4]) items.push(await b.item({ planId, number: n, title: `${name}施策${n}`, sections: [section] }));
      return { section, staff, planId, items };
    });
    await this.signIn(`${code}-planning`, code, 'kikaku');
    return { id, code, ...made };
  }

  /**
   * Opens `periodKey` of the template, leaves each entry in its row's state with its rating and
   * text (`returnComment` on a returned one), force-closes and publishes it (its planning user).
   */
  async publish(
    m: MunicipalityFixture,
    templateId: number,
    rows: [state: string, rating: string | null, progress: string][],
    opts: { periodKey?: string; returnComment?: string } = {},
  ): Promise<number> {
    const who = `${m.code}-planning`;
    const call = async (path: string, body: object, status: number) => {
      const res = await this.http('post', path, who, m.code).send(body);
      if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const cycle = (await call('/api/cycles', { templateId, periodKey: opts.periodKey ?? '2024-H1' }, 201)).id as number;
    await call(`/api/cycles/${cycle}/actions`, { action: 'open' }, 200);
    await runInTenant(m.id, async () => {
      for (const [i, [state, rating, progress]] of rows.entries()) {
        await this.t.db.query(
          `UPDATE entries SET state = $4, rating = $5, progress = $6, author_user_id = $7, return_comment = CASE WHEN $4 = 'returned' THEN $8 END,
                  submitted_at = CASE WHEN $4 IN ('submitted', 'accepted') THEN now() END, accepted_at = CASE WHEN $4 = 'accepted' THEN now() END
            WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`,
          [cycle, m.items[i], m.section, state, rating, progress, m.staff, opts.returnComment ?? null],
        );
      }
    });
    await call(`/api/cycles/${cycle}/actions`, { action: 'force_close', reason: '期限到来' }, 200);
    await call(`/api/cycles/${cycle}/actions`, { action: 'publish' }, 200);
    this.cycles[m.code] = cycle;
    return cycle;
  }
}
