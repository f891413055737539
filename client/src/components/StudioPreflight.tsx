import { useCallback } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import { useLectureActions } from '../hooks/useLecture.js';
import { httpsRoundTrip, sendTransportFigures } from '../preflight/checks.js';
import { usePreflight } from '../preflight/usePreflight.js';
import { PreflightPanel } from './PreflightPanel.js';

/**
 * The studio's pre-flight check before going live, on "Check": camera, microphone, test tone, and
 * the network figures of its own transport to the SFU (the send transport, else the receiving
 * one; before going live there is none, so the HTTPS round trip of /healthz), reported over signaling (`reportPreflight`) for the admin's Network tab.
 */
export function StudioPreflight({ lectureId }: { lectureId: string }) {
  const { sendStats, recvStats, reportPreflight } = useLectureActions();
  const measure = useCallback(async () => {
    const send = sendTransportFigures(await sendStats());
    if (send.rttMs !== null) return send;
    const recv = sendTransportFigures(await recvStats());
    if (recv.rttMs !== null) return recv;
    // No transport to the SFU yet (it is made when going live): the HTTPS round trip only.
    return { rttMs: await httpsRoundTrip('/healthz'), bitrateKbps: null, lossPct: null };
  }, [sendStats, recvStats]);
  const report = useCallback((result: PreflightResult) => reportPreflight(result), [reportPreflight]);
  const preflight = usePreflight({ scope: `studio:${lectureId}`, measure, report, auto: false });
  return <PreflightPanel preflight={preflight} />;
}
