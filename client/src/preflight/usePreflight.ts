import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import { cameraShows, micPeak, openDevices, playTone, type NetworkResult } from './checks.js';

export type PreflightStep = 'camera' | 'microphone' | 'speaker' | 'network' | 'report';

export interface Preflight {
  running: boolean;
  step: PreflightStep | null;
  /** The microphone's level now (0–1), for the meter. */
  level: number;
  /** The camera while the check runs (for the picture). */
  stream: MediaStream | null;
  result: (PreflightResult & { at: number }) | null;
  /** The server did not take the report. */
  reportFailed: boolean;
  run(): void;
  /** Where the picture is shown (the camera check looks at its decoded size). */
  videoRef: React.RefObject<HTMLVideoElement | null>;
}

/** The check runs by itself when the last one is older than this (and on a kiosk's first open). */
export const PREFLIGHT_EVERY_MS = 24 * 3_600_000;
const lastRunKey = (scope: string) => `teleclass.preflight.${scope}`;

function lastRun(scope: string): number {
  try {
    return Number(localStorage.getItem(lastRunKey(scope))) || 0;
  } catch {
    return 0;
  }
}

export interface PreflightOptions {
  /** Where the last run is remembered (e.g. the site id). */
  scope: string;
  /** The network test (a test stream to the SFU, else HTTPS timings: see checks.ts); `signal` aborts when the page goes. */
  measure: (signal: AbortSignal) => Promise<NetworkResult>;
  report: (result: PreflightResult) => Promise<void>;
  /** Run by itself on first open and once a day. */
  auto: boolean;
}

/** Camera, microphone, speaker and network in order, then the report (see checks.ts for what each measures). */
export function usePreflight({ scope, measure, report, auto }: PreflightOptions): Preflight {
  const [state, setState] = useState<Omit<Preflight, 'run' | 'videoRef'>>({ running: false, step: null, level: 0, stream: null, result: null, reportFailed: false });
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const alive = useRef(true);
  /** Aborted when the component goes (e.g. the kiosk joins a lecture): the network test stops sending. */
  const gone = useRef(new AbortController());
  const running = useRef(false);
  const opts = useRef({ measure, report });
  opts.current = { measure, report };

  useEffect(() => {
    alive.current = true;
    if (gone.current.signal.aborted) gone.current = new AbortController();
    return () => {
      alive.current = false;
      gone.current.abort();
    };
  }, []);

  const run = useCallback(() => {
    if (running.current) return;
    running.current = true;
    const set = (patch: Partial<typeof state>) => alive.current && setState((s) => ({ ...s, ...patch }));
    void (async () => {
      const ctx = new AudioContext();
      let stream: MediaStream | null = null;
      try {
        set({ running: true, step: 'camera', result: null, reportFailed: false });
        stream = await openDevices();
        set({ stream });
        await new Promise((r) => requestAnimationFrame(r)); // the <video> gets the stream
        const camera = await cameraShows(videoRef.current, stream);
        if (!alive.current) return;
        set({ step: 'microphone' });
        const micLevel = await micPeak(ctx, stream, (level) => set({ level }));
        if (!alive.current) return;
        set({ step: 'speaker' });
        const speaker = await playTone(ctx);
        if (!alive.current) return;
        set({ step: 'network' });
        const figures = await opts.current.measure(gone.current.signal).catch((): NetworkResult => ({ rttMs: null, bitrateKbps: null, lossPct: null }));
        const result: PreflightResult = { camera, micLevel: Math.round(micLevel * 1000) / 1000, speaker, ...figures };
        set({ step: 'report' });
        let reportFailed = false;
        try {
          await opts.current.report(result);
        } catch {
          reportFailed = true;
        }
        try {
          localStorage.setItem(lastRunKey(scope), String(Date.now()));
        } catch {
          // storage disabled: the check runs again on the next open
        }
        set({ result: { ...result, at: Date.now() }, reportFailed });
      } finally {
        for (const t of stream?.getTracks() ?? []) t.stop();
        void ctx.close();
        running.current = false;
        set({ running: false, step: null, stream: null, level: 0 });
      }
    })();
  }, [scope]);

  // By itself: on first open, then whenever a day has passed since the last run (checked each minute).
  useEffect(() => {
    if (!auto) return;
    const due = () => Date.now() - lastRun(scope) >= PREFLIGHT_EVERY_MS && run();
    due();
    const timer = setInterval(due, 60_000);
    return () => clearInterval(timer);
  }, [auto, scope, run]);

  return { ...state, run, videoRef };
}
