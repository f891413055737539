import { useCallback } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import { PreflightPanel } from '../components/PreflightPanel.js';
import { measureNetwork, sfuOrHttps } from '../preflight/checks.js';
import { probeSfu } from '../preflight/sfuProbe.js';
import { usePreflight } from '../preflight/usePreflight.js';
import { reportPreflight } from './kioskApi.js';

/** The idle screen's pre-flight check: on first open, once a day, and on "Check"; reported to the server. */
export function KioskPreflight({ siteId, token }: { siteId: string; token: string }) {
  const report = useCallback((result: PreflightResult) => reportPreflight(siteId, token, result), [siteId, token]);
  const base = `/api/kiosk/${encodeURIComponent(siteId)}`;
  const measure = useCallback(
    (signal: AbortSignal) => sfuOrHttps(() => probeSfu(`${base}/probe`, token, signal), () => measureNetwork(`${base}/preflight/download`, token)),
    [base, token],
  );
  const preflight = usePreflight({ scope: siteId, measure, report, auto: true });
  return <PreflightPanel preflight={preflight} />;
}
