import { describe, expect, it } from 'vitest';
import { RELOAD_GAP_MS, reloadForMissingChunk } from '../src/chunkReload.js';

function env(now: number, stored: string | null) {
  const store = new Map<string, string>(stored === null ? [] : [['teleclass.chunkReloadAt', stored]]);
  const calls = { reloads: 0, delays: [] as number[] };
  return {
    calls,
    store,
    env: {
      now,
      storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      reload: () => void calls.reloads++,
      schedule: (fn: () => void, ms: number) => {
        calls.delays.push(ms);
        fn();
      },
    },
  };
}

describe('a page whose chunk did not arrive', () => {
  it('reloads at once the first time, and remembers when', () => {
    const t = env(1_000_000, null);
    expect(reloadForMissingChunk(t.env)).toBe(0);
    expect(t.calls.reloads).toBe(1);
    expect(t.store.get('teleclass.chunkReloadAt')).toBe('1000000');
  });

  it('reloads again no sooner than RELOAD_GAP_MS after the last time, and keeps trying', () => {
    const t = env(1_003_000, '1000000');
    expect(reloadForMissingChunk(t.env)).toBe(RELOAD_GAP_MS - 3_000);
    expect(t.calls.reloads).toBe(1);
    expect(t.store.get('teleclass.chunkReloadAt')).toBe(String(1_000_000 + RELOAD_GAP_MS));
    // Long after: at once again; a clock that went back never waits more than the gap.
    expect(reloadForMissingChunk(env(2_000_000, '1000000').env)).toBe(0);
    expect(reloadForMissingChunk(env(0, '1000000').env)).toBe(RELOAD_GAP_MS);
  });

  it('reloads even without storage', () => {
    const t = env(5, null);
    t.env.storage = null as never;
    expect(reloadForMissingChunk(t.env)).toBe(0);
    expect(t.calls.reloads).toBe(1);
  });
});
