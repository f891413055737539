import { useEffect, useRef } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import { QualityMeter } from './qualityMeter.js';

/**
 * While a classroom is joined: every `everyMs`, measures what it receives and reports it to the
 * server (`reportQuality`; the studio's Sites panel shows it). `soundBlocked` is read when sent.
 */
export function useQualityReports(session: LectureSession | null, joined: boolean, soundBlocked: boolean, everyMs: number): void {
  const blocked = useRef(soundBlocked);
  blocked.current = soundBlocked;
  useEffect(() => {
    if (!session || !joined) return;
    const meter = new QualityMeter();
    let stopped = false;
    const tick = async () => {
      const stats = (await session.recvStats().catch(() => [])) as unknown as Record<string, unknown>[];
      if (stopped) return;
      await session.reportQuality(meter.measure(stats, blocked.current));
    };
    const timer = setInterval(() => void tick(), everyMs);
    void tick();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [session, joined, everyMs]);
}
