import { loadConfig, ConfigError } from './app-config';

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '4000', SMTP_SECURE: 'true' });
    expect(config.PORT).toBe(4000);
    expect(config.SMTP_SECURE).toBe(true);
    expect(config.DB_HOST).toBe('127.0.0.1');
  });

  it('names the invalid field', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(ConfigError);
  });

  it('refuses the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('refuses in production an application login that is the migration login (the tables owner)', () => {
    const secret = 'a-production-secret-of-some-length';
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DB_USER: 'postgres' })).toThrow(/DB_USER/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).DB_USER).toBe('hyoka_app');
  });
});
