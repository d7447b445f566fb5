import { loadConfig, ConfigError, ssoEnabled } from './app-config';

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '4000', SMTP_SECURE: 'true' });
    expect(config.PORT).toBe(4000);
    expect(config.SMTP_SECURE).toBe(true);
    expect(config.DB_HOST).toBe('127.0.0.1');
  });

  it('takes a 全国地方公共団体コード only with its check digit', () => {
    expect(loadConfig({}).MUNICIPALITY_CODE).toBe('');
    for (const code of ['112259', '131016', '011002']) expect(loadConfig({ MUNICIPALITY_CODE: code }).MUNICIPALITY_CODE).toBe(code);
    for (const code of ['112250', '11225', 'abcdef']) expect(() => loadConfig({ MUNICIPALITY_CODE: code })).toThrow(/MUNICIPALITY_CODE/);
    expect(loadConfig({}).OPEN_DATA_LICENSE).toContain('CC BY 4.0');
  });

  it('is a single-city installation unless told it holds several municipalities', () => {
    expect(loadConfig({}).TENANCY).toBe('single');
    expect(loadConfig({ TENANCY: 'multi' }).TENANCY).toBe('multi');
    expect(() => loadConfig({ TENANCY: 'shared' })).toThrow(/TENANCY/);
  });

  it('names the invalid field', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(ConfigError);
  });

  it('refuses the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('refuses in production an application login that is the migration login (the tables owner)', () => {
    const secret = 'Zk3q9V0pX7mL2tR8wN5yB1cH6jF4sD0aGeUiOoPlKq0=';
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DB_USER: 'postgres' })).toThrow(/DB_USER/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).DB_USER).toBe('hyoka_app');
  });

  it('turns single sign-on on only with an issuer and a client id, over https in production', () => {
    expect(ssoEnabled(loadConfig({}))).toBe(false);
    const on = loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:9000', OIDC_CLIENT_ID: 'hyoka' });
    expect(ssoEnabled(on)).toBe(true);
    expect(on.OIDC_USER_CLAIM).toBe('preferred_username');
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example.jp' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ OIDC_CLIENT_ID: 'hyoka' })).toThrow(/OIDC_ISSUER/);
    expect(() => loadConfig({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'hyoka' })).toThrow(/OIDC_ISSUER/);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'Zk3q9V0pX7mL2tR8wN5yB1cH6jF4sD0aGeUiOoPlKq0=', OIDC_CLIENT_ID: 'hyoka' };
    expect(() => loadConfig({ ...production, OIDC_ISSUER: 'http://idp.example.jp' })).toThrow(/https/);
    expect(ssoEnabled(loadConfig({ ...production, OIDC_ISSUER: 'https://idp.example.jp' }))).toBe(true);
  });

  it('listens on 127.0.0.1 unless told otherwise, and is no demo unless told so', () => {
    expect(loadConfig({})).toMatchObject({ BIND_ADDRESS: '127.0.0.1', DEMO_MODE: false });
    expect(loadConfig({ BIND_ADDRESS: '0.0.0.0', DEMO_MODE: 'true' })).toMatchObject({ BIND_ADDRESS: '0.0.0.0', DEMO_MODE: true });
    expect(() => loadConfig({ BIND_ADDRESS: 'http://x/' })).toThrow(/BIND_ADDRESS/);
  });

  it('keeps standalone Redis and its prefix by default, and refuses a cluster without a hash-tagged prefix', () => {
    expect(loadConfig({})).toMatchObject({ REDIS_MODE: 'standalone', QUEUE_PREFIX: 'hyoka' });
    expect(() => loadConfig({ REDIS_MODE: 'cluster' })).toThrow(/REDIS_CLUSTER_NODES: required/);
    expect(() => loadConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: '10.0.0.1:6379' })).toThrow(/QUEUE_PREFIX: "hyoka" is no hash tag.*ハッシュタグ/);
    expect(() => loadConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: '10.0.0.1:6379', QUEUE_PREFIX: 'hyoka{}' })).toThrow(/QUEUE_PREFIX/);
    const cluster = loadConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-2:7000', QUEUE_PREFIX: '{hyoka-112259}' });
    expect(cluster.QUEUE_PREFIX).toBe('{hyoka-112259}');
    expect(() => loadConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: '10.0.0.1', QUEUE_PREFIX: '{h}' })).toThrow(/REDIS_CLUSTER_NODES must be host:port/);
    expect(() => loadConfig({ REDIS_MODE: 'sentinel' })).toThrow(/REDIS_SENTINELS: required/);
    expect(loadConfig({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: '127.0.0.1:26379' }).REDIS_SENTINEL_NAME).toBe('mymaster');
    expect(() => loadConfig({ REDIS_MODE: 'replicated' })).toThrow(/REDIS_MODE/);
  });
});
