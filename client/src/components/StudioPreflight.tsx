import { useCallback } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { useLectureActions } from '../hooks/useLecture.js';
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
export function StudioPreflight({ lectureId }: { lectureId: string }) {
  const { current } = useJoinToken(lectureId);
  const { sendStats, recvStats, reportPreflight } = useLectureActions();
  const measure = useCallback(
    (signal: AbortSignal) =>
      sfuOrHttps(
        async () => {
          const token = current()?.token;
          if (!token) throw new Error('no link token');
          return probeSfu(`/api/studio/${encodeURIComponent(lectureId)}/probe`, token, signal);
        },
        async () => {
          const send = sendTransportFigures(await sendStats());
          if (send.rttMs !== null) return send;
          const recv = sendTransportFigures(await recvStats());
          if (recv.rttMs !== null) return recv;
          // No transport to the SFU yet (it is made when going live): the HTTPS round trip only.
          return { rttMs: await httpsRoundTrip('/healthz'), bitrateKbps: null, lossPct: null };
        },
      ),
    [lectureId, current, sendStats, recvStats],
  );
  const report = useCallback((result: PreflightResult) => reportPreflight(result), [reportPreflight]);
  const preflight = usePreflight({ scope: `studio:${lectureId}`, measure, report, auto: false });
  return <PreflightPanel preflight={preflight} />;
}
