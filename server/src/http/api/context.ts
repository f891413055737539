import type { TokenService } from '../../auth/tokens.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/Store.js';
import type { IngestService } from '../../ingest/IngestService.js';
import type { RecordingsApiDeps } from './recordingsContext.js';
import type { SiteBoard } from '../../sites/SiteBoard.js';
import type { NetworkProbe } from '../../media/NetworkProbe.js';

/** What the admin API needs from the rest of the server. */
export interface ApiDeps {
  store: Store;
  tokens: TokenService;
  adminToken: string;
  /** PUBLIC_URL; unset: links are built from the request's Host header. */
  publicUrl?: string | undefined;
  linkValidityHours: number;
  /** Called before a lecture is deleted, to let go of anyone still in it. */
  onDelete?: (lectureId: string) => void;
  /** Called after a lecture's links were rotated, to let go of anyone connected with an old one. */
  onLinksRotated?: (lectureId: string) => void;
  logger?: Logger;
  /** The recording library (left out: no /api/recordings routes). */
  recordings?: RecordingsApiDeps;
  /** What is known of each registered site now (left out: every site shows as offline). */
  sites?: SiteBoard;
  /** Called after a site's kiosk link was rotated or the site deleted, to let go of its kiosk's connections. */
  onKioskRotated?: (siteId: string) => void;
  /** How often an idle kiosk polls (KIOSK_POLL_SECONDS), in ms. */
  kioskPollMs?: number;
  /** How often a classroom in a lecture reports its quality (QUALITY_REPORT_SECONDS), in ms. */
  qualityReportMs?: number;
  /** The most lectures one recurring lecture makes (SERIES_MAX_LECTURES). */
  seriesMax?: number;
  /** How long a lecture lasts in calendar feeds (CALENDAR_EVENT_MINUTES), in minutes. */
  calendarEventMinutes?: number;
  /** Studio feeds (left out: no /ingest routes). */
  ingest?: IngestService;
  /** The pre-flight network test against the SFU (left out: no …/probe routes). */
  probes?: NetworkProbe;
  /** The clock (tests move it). */
  now?: () => number;
}
