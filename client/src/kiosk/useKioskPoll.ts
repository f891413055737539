import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskState } from '@teleclass/shared';
import { KioskApiError, pollKiosk } from './kioskApi.js';

export interface KioskPoll {
  state: KioskState | null;
  /** The server cannot be reached right now (the kiosk keeps trying by itself). */
  offline: boolean;
  /** The kiosk link was replaced or is not valid: a new link is needed. */
  refused: string | null;
  /** Server time minus this clock (the idle screen's countdowns use the server's clock). */
  skewMs: number;
}

export interface KioskPolling extends KioskPoll {
  /** Asks now instead of at the next tick (a lecture just ended here): also ends a backoff. */
  refresh(): void;
}

/** After a failed poll the kiosk tries again sooner than the interval, then backs off to it (at most 30 s). */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Polls the kiosk's heartbeat for as long as the page is open: at the server's interval while
 * answers come, with backoff while they do not (a network cut, a server restart), for weeks.
 * A refused link (rotated, deleted site) stops the polling. The browser coming back online, or
 * `refresh()` (the kiosk's lecture ended), asks at once instead of waiting out a backoff of up to
 * 30 s, so the kiosk is seen online again and shows the coming lectures without delay.
 */
export function useKioskPoll(siteId: string, token: string): KioskPolling {
  const [poll, setPoll] = useState<KioskPoll>({ state: null, offline: false, refused: null, skewMs: 0 });
  const now = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let inFlight = false;
    let again = false;
    const tick = async () => {
      clearTimeout(timer);
      if (inFlight) {
        again = true; // one more right after the answer in flight
        return;
      }
      inFlight = true;
      let next = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
      try {
        const state = await pollKiosk(siteId, token);
        if (stopped) return;
        failures = 0;
        next = state.pollMs;
        setPoll({ state, offline: false, refused: null, skewMs: state.serverTime - Date.now() });
      } catch (error) {
        if (stopped) return;
        if (error instanceof KioskApiError && error.final) {
          setPoll((p) => ({ ...p, refused: error.code }));
          return;
        }
        failures++;
        setPoll((p) => ({ ...p, offline: true }));
      } finally {
        inFlight = false;
      }
      if (again) {
        again = false;
        next = 0;
      }
      timer = setTimeout(() => void tick(), next);
    };
    const askNow = () => {
      if (stopped) return;
      failures = 0;
      void tick();
    };
    now.current = askNow;
    globalThis.addEventListener?.('online', askNow);
    void tick();
    return () => {
      stopped = true;
      now.current = () => undefined;
      globalThis.removeEventListener?.('online', askNow);
      clearTimeout(timer);
    };
  }, [siteId, token]);
  const refresh = useCallback(() => now.current(), []);
  return { ...poll, refresh };
}
