import { useCallback } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import type { LectureSession } from '../media/LectureSession.js';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { httpsRoundTrip, sendTransportFigures, sfuOrHttps } from '../preflight/checks.js';
import { probeSfu } from '../preflight/sfuProbe.js';
import { usePreflight } from '../preflight/usePreflight.js';
import { PreflightPanel } from './PreflightPanel.js';

/**
 * The studio's pre-flight check before going live, on "Check": camera, microphone, test tone, and
 * a test stream to the SFU with the trainer's link token (sfuProbe.ts); should that fail, the
 * figures of its own transport to the SFU, else the HTTPS round trip of /healthz. Reported over
 * signaling (`reportPreflight`) for the admin's Network tab.
 */
export function StudioPreflight({ session, lectureId }: { session: LectureSession; lectureId: string }) {
  const { current } = useJoinToken(lectureId);
  const measure = useCallback(
    (signal: AbortSignal) =>
      sfuOrHttps(
        async () => {
          const token = current()?.token;
          if (!token) throw new Error('no link token');
          return probeSfu(`/api/studio/${encodeURIComponent(lectureId)}/probe`, token, signal);
        },
        async () => {
          const send = sendTransportFigures(await session.sendStats());
          if (send.rttMs !== null) return send;
          return { rttMs: await httpsRoundTrip('/healthz'), bitrateKbps: null, lossPct: null };
        },
      ),
    [session, lectureId, current],
  );
  const report = useCallback((result: PreflightResult) => session.reportPreflight(result), [session]);
  const preflight = usePreflight({ scope: `studio:${lectureId}`, measure, report, auto: false });
  return <PreflightPanel preflight={preflight} />;
}
