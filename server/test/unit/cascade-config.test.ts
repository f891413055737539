// The media cascade's settings: where pipes listen and what address they announce, the caps, and
// NODE_UPSTREAM (never this node itself).
import { describe, expect, it } from 'vitest';
import { pipeOptions } from '../../src/cluster/cascade/index.js';
import { ConfigError, parseConfig } from '../../src/config.js';

const base = { RTC_PORT: '40000', RTC_MIN_PORT: '40100', RTC_MAX_PORT: '40999' };

describe('cascade configuration', () => {
  it('pipes listen on RTC_LISTEN_IP and announce RTC_ANNOUNCED_ADDRESS unless told otherwise', () => {
    expect(pipeOptions(parseConfig({ ...base, RTC_LISTEN_IP: '10.0.0.5' }), undefined)).toMatchObject({ listenIp: '10.0.0.5', announcedAddress: undefined });
    expect(pipeOptions(parseConfig({ ...base, RTC_LISTEN_IP: '10.0.0.5', RTC_ANNOUNCED_ADDRESS: '203.0.113.7' }), '203.0.113.7')).toMatchObject({
      listenIp: '10.0.0.5',
      announcedAddress: '203.0.113.7',
    });
    expect(pipeOptions(parseConfig({ ...base }), '192.168.1.20')).toMatchObject({ listenIp: '0.0.0.0', announcedAddress: '192.168.1.20' });
    const own = parseConfig({ ...base, RTC_ANNOUNCED_ADDRESS: '203.0.113.7', PIPE_LISTEN_IP: '10.1.0.5', PIPE_ANNOUNCED_ADDRESS: '10.1.0.5' });
    expect(pipeOptions(own, '203.0.113.7')).toMatchObject({ listenIp: '10.1.0.5', announcedAddress: '10.1.0.5' });
  });

  it('caps have defaults and bounds', () => {
    expect(pipeOptions(parseConfig(base), undefined)).toMatchObject({ maxPipes: 16, maxProducersPerPipe: 64 });
    expect(parseConfig(base).CASCADE_MAX_LINKS).toBe(64);
    expect(() => parseConfig({ ...base, CASCADE_MAX_PRODUCERS_PER_PIPE: '0' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, PIPE_LISTEN_IP: 'not-an-ip' })).toThrow(/PIPE_LISTEN_IP/);
  });

  it('NODE_UPSTREAM is another node\'s id', () => {
    expect(parseConfig({ ...base, NODE_ID: 'gazakh', NODE_UPSTREAM: 'ganja' }).NODE_UPSTREAM).toBe('ganja');
    expect(() => parseConfig({ ...base, NODE_ID: 'ganja', NODE_UPSTREAM: 'ganja' })).toThrow(/NODE_UPSTREAM must be another node/);
    expect(() => parseConfig({ ...base, NODE_UPSTREAM: 'no spaces' })).toThrow(/NODE_UPSTREAM/);
  });
});
