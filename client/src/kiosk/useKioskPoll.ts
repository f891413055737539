import { useEffect, useState } from 'react';
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

/** After a failed poll the kiosk tries again sooner than the interval, then backs off to it (at most 30 s). */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Polls the kiosk's heartbeat for as long as the page is open: at the server's interval while
 * answers come, with backoff while they do not (a network cut, a server restart), for weeks.
 * A refused link (rotated, deleted site) stops the polling.
 */
export function useKioskPoll(siteId: string, token: string): KioskPoll {
  const [poll, setPoll] = useState<KioskPoll>({ state: null, offline: false, refused: null, skewMs: 0 });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const tick = async () => {
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
      }
      timer = setTimeout(() => void tick(), next);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [siteId, token]);
  return poll;
}
