import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { ConfigError, parseConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has defaults that run on one machine', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(8443);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.MEDIASOUP_WORKERS).toBe(os.availableParallelism());
    expect(c.RTC_PORT).toBe(40000);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.TLS_CERT).toBeUndefined();
  });

  it('coerces numbers from strings', () => {
    const c = parseConfig({ PORT: '9443', MEDIASOUP_WORKERS: '3' });
    expect(c.PORT).toBe(9443);
    expect(c.MEDIASOUP_WORKERS).toBe(3);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a TCP port number .*got "abc"/],
    [{ PORT: '70000' }, /^PORT must be a TCP port between 0 and 65535 \(got "70000"\)/],
    [{ PORT: '80.5' }, /^PORT must be a whole TCP port number/],
    [{ MEDIASOUP_WORKERS: '0' }, /^MEDIASOUP_WORKERS must be at least 1/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error/],
    [{ RTC_LISTEN_IP: 'not-an-ip' }, /^RTC_LISTEN_IP must be an IPv4 or IPv6 address/],
    [{ RTC_MIN_PORT: '5000', RTC_MAX_PORT: '4000' }, /^RTC_MIN_PORT must not be above RTC_MAX_PORT/],
    [{ RTC_PORT: '40500', MEDIASOUP_WORKERS: '2' }, /^RTC_PORT ports 40500-40501 .* overlap/],
    [{ TLS_CERT: '/etc/cert.pem' }, /^TLS_KEY TLS_CERT and TLS_KEY must be given together/],
  ])('names the variable of a bad value: %o', (env, message) => {
    const list = problems(env);
    expect(list.some((p) => message.test(p)), list.join('\n')).toBe(true);
  });

  it('reports every bad variable at once in one readable message', () => {
    try {
      parseConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- PORT .*\n {2}- LOG_LEVEL /);
    }
  });
});

describe('config of lectures and links', () => {
  it('has defaults for the data folder, links and the stage', () => {
    const c = parseConfig({});
    expect(c.DATA_DIR).toMatch(/data$/);
    expect(c.LINK_VALIDITY_HOURS).toBe(48);
    expect(c.STAGE_SIZE).toBe(1);
    expect(c.ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    [{ STAGE_SIZE: '0' }, /^STAGE_SIZE /],
    [{ STAGE_SIZE: '9' }, /^STAGE_SIZE /],
    [{ ADMIN_TOKEN: 'short' }, /^ADMIN_TOKEN must be at least 16 characters/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET /],
    [{ PUBLIC_URL: 'ftp://x' }, /^PUBLIC_URL /],
    [{ LINK_VALIDITY_HOURS: '0' }, /^LINK_VALIDITY_HOURS /],
  ])('names the variable of a bad value: %o', (env, message) => {
    let problems: readonly string[] = [];
    try {
      parseConfig(env);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.some((p) => message.test(p)), problems.join('\n')).toBe(true);
  });

  it('never echoes a secret in the error', () => {
    try {
      parseConfig({ ADMIN_TOKEN: 'tiny', JWT_SECRET: 'also-tiny' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('tiny');
    }
  });
});
