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

  it('listens on 127.0.0.1 unless told otherwise, and is no demo unless told so', () => {
    expect(loadConfig({})).toMatchObject({ BIND_ADDRESS: '127.0.0.1', DEMO_MODE: false });
    expect(loadConfig({ BIND_ADDRESS: '0.0.0.0', DEMO_MODE: 'true' })).toMatchObject({ BIND_ADDRESS: '0.0.0.0', DEMO_MODE: true });
    expect(() => loadConfig({ BIND_ADDRESS: 'http://x/' })).toThrow(/BIND_ADDRESS/);
  });
});
