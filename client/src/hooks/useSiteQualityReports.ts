import { useQualityReports } from '../kiosk/useQualityReports.js';
import { useSessionHandle } from './LectureSessionProvider.js';

/** A classroom's quality reports (see kiosk/useQualityReports) for the session below the provider. */
export function useSiteQualityReports(joined: boolean, soundBlocked: boolean, everyMs: number): void {
  useQualityReports(useSessionHandle(), joined, soundBlocked, everyMs);
}
