// The pages' build swaps the `debug` package (mediasoup-client's logger) for client/build/debug.cjs
// (README, "Weak connections"). It must switch on and off as debug does: the same localStorage key
// and patterns; and print the same format strings with the namespace first.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
const realDebug = require('debug') as { enable(spec: string): void; enabled(name: string): boolean; disable(): string };

interface Shim {
  (namespace: string): ((...args: unknown[]) => void) & { enabled: boolean; log?: (...args: unknown[]) => void };
  enable(spec: string): void;
  enabled(name: string): boolean;
  default: Shim;
}

const store = new Map<string, string>();
function loadShim(saved?: string): Shim {
  store.clear();
  if (saved !== undefined) store.set('debug', saved);
  vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) });
  const path = require.resolve('../build/debug.cjs');
  delete require.cache[path];
  return require(path) as Shim;
}

afterEach(() => {
  vi.unstubAllGlobals();
  realDebug.disable();
});

const NAMES = ['mediasoup-client', 'mediasoup-client:Device', 'mediasoup-client:WARN:Transport', 'mediasoup-client:ERROR:Chrome111', 'awaitqueue', 'awaitqueue:WARN', 'h264-profile-level-id:ERROR'];
const part = fc.constantFrom('mediasoup-client', 'mediasoup-client:*', '*', '*:WARN*', '*:ERROR:*', 'awaitqueue*', '-mediasoup-client:Device', '-*:WARN:*', 'h264-profile-level-id:*', 'mediasoup-client:Device', 'x.y+z');
const spec = fc.array(part, { maxLength: 4 }).chain((parts) => fc.constantFrom(parts.join(','), parts.join(' '), ` ${parts.join(', ')} `));

describe('client/build/debug.cjs, the pages’ debug', () => {
  it('is on for the same names as debug, for any mix of patterns', () => {
    const shim = loadShim();
    fc.assert(
      fc.property(spec, (s) => {
        shim.enable(s);
        realDebug.enable(s);
        for (const name of NAMES) expect(shim.enabled(name), `${s} ${name}`).toBe(realDebug.enabled(name));
      }),
    );
  });

  it('reads localStorage.debug at load, writes it on enable, and prints with the namespace and format arguments', () => {
    const shim = loadShim('mediasoup-client:*,-mediasoup-client:Transport');
    expect(shim.default).toBe(shim);
    const lines: unknown[][] = [];
    const device = shim('mediasoup-client:Device');
    device.log = (...args) => lines.push(args);
    const transport = shim('mediasoup-client:Transport');
    transport.log = (...args) => lines.push(args);
    expect([device.enabled, transport.enabled]).toEqual([true, false]);
    device('load() [caps:%o]', { a: 1 });
    transport('not printed');
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toMatch(/^mediasoup-client:Device load\(\) \[caps:%o\] \+\d+ms$/);
    expect(lines[0]![1]).toEqual({ a: 1 });
    shim.enable('mediasoup-client:Transport');
    expect(store.get('debug')).toBe('mediasoup-client:Transport');
    expect([device.enabled, transport.enabled]).toEqual([false, true]);
  });
});
