import { useCallback } from 'react';
import type { PreflightResult } from '@teleclass/shared';
import { PreflightPanel } from '../components/PreflightPanel.js';
import { measureNetwork } from '../preflight/checks.js';
import { usePreflight } from '../preflight/usePreflight.js';
import { reportPreflight } from './kioskApi.js';

/** The idle screen's pre-flight check: on first open, once a day, and on "Check"; reported to the server. */
export function KioskPreflight({ siteId, token }: { siteId: string; token: string }) {
  const report = useCallback((result: PreflightResult) => reportPreflight(siteId, token, result), [siteId, token]);
  const preflight = usePreflight({
    scope: siteId,
    measure: () => measureNetwork(`/api/kiosk/${encodeURIComponent(siteId)}/preflight/download`, token).then((f) => ({ ...f, lossPct: null })),
    report,
    auto: true,
  });
  return <PreflightPanel preflight={preflight} />;
}
