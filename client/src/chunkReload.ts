/**
 * A page's code comes in chunks loaded on demand (App.tsx). Should one fail to arrive — a network
 * blip, a server restarting, a new build deployed while the page was open — a kiosk nobody
 * watches must not stay blank: the page loads itself again, at once the first time and then at
 * most once every RELOAD_GAP_MS, so it keeps trying until the server answers.
 */
export const RELOAD_GAP_MS = 10_000;
const KEY = 'teleclass.chunkReloadAt';

interface Env {
  now: number;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  reload: () => void;
  schedule: (fn: () => void, ms: number) => void;
}

const browserEnv = (): Env => ({
  now: Date.now(),
  storage: (() => {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null;
    }
  })(),
  reload: () => globalThis.location?.reload(),
  schedule: (fn, ms) => void globalThis.setTimeout(fn, ms),
});

/** Reloads the page, no sooner than RELOAD_GAP_MS after the last such reload; answers the delay. */
export function reloadForMissingChunk(env: Env = browserEnv()): number {
  const last = Number(env.storage?.getItem(KEY) ?? Number.NaN); // NaN: never reloaded for this
  const delay = Number.isFinite(last) ? Math.max(0, Math.min(RELOAD_GAP_MS, last + RELOAD_GAP_MS - env.now)) : 0;
  env.schedule(() => {
    try {
      env.storage?.setItem(KEY, String(env.now + delay));
    } catch {
      // storage full or disabled: reload anyway
    }
    env.reload();
  }, delay);
  return delay;
}
