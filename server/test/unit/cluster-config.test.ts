// Cluster mode is switched on by REDIS_URL alone, and refused without what every node needs.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { failoverOrder, placeParticipant } from '../../src/cluster/placement.js';
import type { NodeInfo } from '../../src/cluster/ports.js';

const cluster = {
  REDIS_URL: 'redis://:s3cret@10.0.0.5:6379',
  NODE_ID: 'ganja-1',
  NODE_REGION: 'ganja',
  PUBLIC_URL: 'https://ganja.teleclass.example.az',
  JWT_SECRET: 'x'.repeat(32),
  ADMIN_TOKEN: 'y'.repeat(16),
};

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('cluster configuration', () => {
  it('is off without REDIS_URL: nothing else is needed', () => {
    const config = parseConfig({});
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.NODE_ID).toBeUndefined();
    expect(config.DRAIN_SECONDS).toBe(20);
  });

  it('is on with REDIS_URL and each node’s own id, region and URL', () => {
    const config = parseConfig({ ...cluster, INTERNAL_URL: 'https://10.0.0.7:8443/' });
    expect(config).toMatchObject({ NODE_ID: 'ganja-1', NODE_REGION: 'ganja', INTERNAL_URL: 'https://10.0.0.7:8443' });
  });

  it('REDIS_URL without NODE_ID, PUBLIC_URL or the shared secrets is a clear error naming each', () => {
    const found = problems({ REDIS_URL: cluster.REDIS_URL });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toMatch(/NODE_ID must be set when REDIS_URL is set/);
    expect(found.join('\n')).toMatch(/PUBLIC_URL must be set when REDIS_URL is set/);
    expect(found.join('\n')).toMatch(/JWT_SECRET must be set when REDIS_URL is set.*same for every node/);
    expect(found.join('\n')).toMatch(/ADMIN_TOKEN must be set when REDIS_URL is set/);
  });

  it('refuses a bad REDIS_URL or NODE_ID without echoing the Redis password', () => {
    const found = problems({ ...cluster, REDIS_URL: 'http://:hunter2hunter2@host', NODE_ID: 'a b' }).join('\n');
    expect(found).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(found).toMatch(/NODE_ID must be letters, digits/);
    expect(found).not.toMatch(/hunter2/);
  });
});

const NOW = 1_000_000;
const node = (id: string, region: string | null, participants: number, extra: Partial<NodeInfo> = {}): NodeInfo => ({
  id,
  region,
  publicUrl: `https://${id}.test`,
  internalUrl: `https://${id}.test`,
  draining: false,
  load: { workers: 2, participants, consumers: participants * 2, bitrate: 0, full: false },
  seenAt: NOW,
  ...extra,
});

describe('placement', () => {
  const full = (n: NodeInfo): NodeInfo => ({ ...n, load: { ...n.load, full: true } });
  const baku = node('baku-1', 'baku', 10);
  const ganja1 = node('ganja-1', 'ganja', 30);
  const ganja2 = node('ganja-2', 'ganja', 20);
  const sheki = node('sheki-1', 'sheki', 1);

  it('stays on the node opened unless it is full or draining', () => {
    expect(placeParticipant(ganja1, [baku, ganja1, ganja2, sheki], 'ganja', NOW)).toBeNull();
  });

  it('a full or draining node sends to the least-loaded open node of the region, else any', () => {
    const nodes = [baku, full(ganja1), ganja2, sheki];
    expect(placeParticipant(full(ganja1), nodes, 'ganja', NOW)?.id).toBe('ganja-2');
    expect(placeParticipant({ ...ganja1, draining: true }, nodes, 'ganja', NOW)?.id).toBe('ganja-2');
    expect(placeParticipant(full(ganja1), [baku, full(ganja1), full(ganja2), sheki], 'ganja', NOW)?.id).toBe('sheki-1');
    expect(placeParticipant(full(ganja1), [full(ganja1)], 'ganja', NOW)).toBeNull();
  });

  it('a node whose entry was not rewritten for two heartbeats (probably dead) comes last', () => {
    const silent = { ...ganja2, seenAt: NOW - 2_000 };
    expect(placeParticipant(full(ganja1), [baku, full(ganja1), silent, sheki], 'ganja', NOW)?.id).toBe('sheki-1');
    expect(placeParticipant(full(ganja1), [full(ganja1), silent], 'ganja', NOW)?.id).toBe('ganja-2'); // better than none
    expect(failoverOrder([baku, ganja1, silent], 'ganja', 'ganja-1', NOW).map((n) => n.id)).toEqual(['baku-1', 'ganja-2']);
  });

  it('fails over to the own region first, busy nodes last', () => {
    const order = failoverOrder([baku, ganja1, { ...ganja2, draining: true }, sheki], 'ganja', 'ganja-1', NOW).map((n) => n.id);
    expect(order).toEqual(['sheki-1', 'baku-1', 'ganja-2']);
    expect(failoverOrder([baku, ganja1, ganja2, sheki], 'ganja', 'ganja-1', NOW).map((n) => n.id)).toEqual(['ganja-2', 'sheki-1', 'baku-1']);
  });
});
