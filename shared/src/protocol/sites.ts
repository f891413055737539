/**
 * The classroom registry (/api/sites, admin token) and the kiosk's own calls (/api/kiosk/<siteId>,
 * the kiosk token of its link): bodies and answers, defined once for the server and the pages.
 */
import { z } from 'zod';
import { lectureIdSchema, lectureStateSchema } from '../domain.js';
import { siteNameSchema } from './admin.js';
import { languageSchema } from './stored.js';
import { priorityStepSchema } from './priority.js';

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** A site's id: its name's slug and a random suffix, e.g. `ganja-1-k3x9qa`. */
export const siteIdSchema = lectureIdSchema;

export const regionSchema = z.string().trim().max(60, 'a region has at most 60 characters').refine(noControl, 'no control characters');

/** POST /api/sites */
export const createSiteRequestSchema = z.strictObject({
  name: siteNameSchema,
  region: regionSchema.optional(),
  /** The kiosk's interface language (az, ru, en); null or left out: the kiosk browser's own languages decide. */
  language: languageSchema.nullable().optional(),
});
export type CreateSiteRequest = z.input<typeof createSiteRequestSchema>;

/** PATCH /api/sites/<id>: a new name, region or kiosk language (null clears the region or language). */
export const patchSiteRequestSchema = z
  .strictObject({ name: siteNameSchema.optional(), region: regionSchema.nullable().optional(), language: languageSchema.nullable().optional() })
  .refine((p) => p.name !== undefined || p.region !== undefined || p.language !== undefined, 'give a name, a region or a language');

/** POST /api/sites/import: many sites at once (names already registered are skipped). */
export const importSitesRequestSchema = z.strictObject({
  sites: z.array(createSiteRequestSchema).min(1).max(200, 'at most 200 sites at once'),
});

export const siteSchema = z.object({
  id: siteIdSchema,
  name: z.string(),
  region: z.string().nullable(),
  /** The kiosk's interface language; null: its browser's languages decide. */
  language: languageSchema.nullable().default(null),
});
export type Site = z.infer<typeof siteSchema>;

/** Green, amber or red, from the figures below (see `qualityLevel`). */
export const qualityLevelSchema = z.enum(['green', 'amber', 'red']);
export type QualityLevel = z.infer<typeof qualityLevelSchema>;

/** What a kiosk measures of the lecture it receives, reported every few seconds (`reportQuality`). */
export const kioskStatsSchema = z.strictObject({
  /** Inbound packets lost in the last period, % (0–100). */
  lossPct: z.number().min(0).max(100),
  /** Round trip to the SFU, ms (from the ICE candidate pair). */
  rttMs: z.number().min(0).max(60_000),
  jitterMs: z.number().min(0).max(60_000),
  /** Received bitrate over the last period, kbit/s. */
  bitrateKbps: z.number().min(0).max(1_000_000),
  /** Decoded frames per second of the main picture. */
  fps: z.number().min(0).max(240),
  /** Picture freezes counted by the browser since joining. */
  freezes: z.number().int().min(0).max(1_000_000),
  /** The page could not start sound (autoplay refused). */
  soundBlocked: z.boolean(),
});
export type KioskStats = z.infer<typeof kioskStatsSchema>;

/** A site's live quality: the kiosk's figures and the server's (consumer score 0–10, video layer received). */
export const siteQualitySchema = kioskStatsSchema.extend({
  score: z.number().nullable(),
  layer: z.number().nullable(),
  level: qualityLevelSchema,
  at: z.number(),
});
export type SiteQuality = z.infer<typeof siteQualitySchema>;

/** A pre-flight check's results, from a kiosk or the studio. */
export const preflightResultSchema = z.strictObject({
  camera: z.boolean(),
  /** Peak microphone level seen, 0–1. */
  micLevel: z.number().min(0).max(1),
  speaker: z.boolean(),
  /** Round trip to the SFU (ICE and RTCP), or of an HTTPS request when `via` is 'https', ms. */
  rttMs: z.number().min(0).max(60_000).nullable(),
  /** Packets lost on the way to the SFU during the test, % (null: not measured). */
  lossPct: z.number().min(0).max(100).nullable(),
  /** What the SFU received during the test (or the HTTPS download rate), kbit/s. */
  bitrateKbps: z.number().min(0).max(1_000_000).nullable(),
  /** The browser's estimate of what it could send to the SFU (availableOutgoingBitrate), kbit/s. */
  estimateKbps: z.number().min(0).max(1_000_000).nullable().optional(),
  /** How the network figures were measured: a WebRTC test stream to the SFU, or HTTPS only (the fallback). */
  via: z.enum(['sfu', 'https']).optional(),
});
export type PreflightResult = z.infer<typeof preflightResultSchema>;

export const siteStatusSchema = z.object({
  /** The kiosk was heard from lately (its idle poll or a lecture connection). */
  online: z.boolean(),
  /** The lecture it is in now, or null. */
  lectureId: lectureIdSchema.nullable(),
  lastSeenAt: z.number().nullable(),
  /** The kiosk page's version. */
  version: z.string().nullable(),
  soundBlocked: z.boolean(),
  quality: siteQualitySchema.nullable(),
  preflight: preflightResultSchema.extend({ at: z.number() }).nullable(),
});
export type SiteStatus = z.infer<typeof siteStatusSchema>;

export const siteWithStatusSchema = siteSchema.extend({
  status: siteStatusSchema,
  /** The kiosk link at its current version (GET /api/sites gives it for the Network tab). */
  kioskUrl: z.string().optional(),
  /** The site's iCalendar feed for staff to subscribe to (GET /api/sites/<id>/calendar.ics?token=…). */
  calendarUrl: z.string().optional(),
});
export type SiteWithStatus = z.infer<typeof siteWithStatusSchema>;

/** One lecture's last studio pre-flight check. */
export const studioPreflightSchema = z.object({ lectureId: lectureIdSchema, preflight: preflightResultSchema.extend({ at: z.number() }) });
export type StudioPreflightView = z.infer<typeof studioPreflightSchema>;

/** GET /api/sites: the sites, and each lecture's last studio pre-flight check (newest first). */
export const siteListSchema = z.object({
  sites: z.array(siteWithStatusSchema),
  studios: z.array(studioPreflightSchema).default([]),
});
export type SiteList = z.infer<typeof siteListSchema>;
/** POST /api/sites (201), GET /api/sites/<id>, POST /api/sites/<id>/kiosk-link/rotate */
export const siteWithLinkSchema = z.object({ site: siteSchema, kioskUrl: z.string() });
export type SiteWithLink = z.infer<typeof siteWithLinkSchema>;
/** POST /api/sites/import */
export const importedSitesSchema = z.object({ created: z.array(siteSchema), skipped: z.array(z.string()) });
export type ImportedSites = z.infer<typeof importedSitesSchema>;

/** POST /api/kiosk/<siteId>: the kiosk's heartbeat (idle). */
export const kioskPollRequestSchema = z.strictObject({
  version: z.string().trim().max(40).refine(noControl).optional(),
});

export const upcomingLectureSchema = z.object({
  lectureId: lectureIdSchema,
  title: z.string(),
  scheduledStart: z.string(),
  state: lectureStateSchema,
});
export type UpcomingLecture = z.infer<typeof upcomingLectureSchema>;

/** The answer of POST /api/kiosk/<siteId>: what the kiosk shows, and the lecture to join when one is live. */
export const kioskStateSchema = z.object({
  site: siteSchema,
  upcoming: z.array(upcomingLectureSchema),
  /** A live lecture that includes the site, with a join token minted for this kiosk. */
  live: z.object({ lectureId: lectureIdSchema, token: z.string() }).nullable(),
  /** Poll again after this many ms. */
  pollMs: z.number(),
  /** While in a lecture, report what is received every this many ms (QUALITY_REPORT_SECONDS). */
  qualityReportMs: z.number().default(3_000),
  serverTime: z.number(),
});
export type KioskState = z.infer<typeof kioskStateSchema>;

/** One invited classroom as the studio's Sites panel shows it (`sitesHealth`, to the trainer). */
export const siteHealthSchema = z.object({
  name: z.string(),
  /** The registry's id (null: a one-off name). */
  siteId: z.string().nullable(),
  state: z.enum(['absent', 'connected', 'onair']),
  soundBlocked: z.boolean(),
  quality: siteQualitySchema.nullable(),
  /** What its weak link holds back now (the server's priority step; null: not connected or receiving nothing yet). */
  priority: priorityStepSchema.nullable().default(null),
  /**
   * Why the studio should look: not joined SITE_MISSING_ALERT_SECONDS after going live, dropped
   * out of the live lecture, or its quality turned red. Null: nothing to say.
   */
  alert: z.enum(['missing', 'dropped', 'red']).nullable(),
});
export type SiteHealth = z.infer<typeof siteHealthSchema>;

/**
 * Green, amber or red from what the kiosk and the server measured: red at ≥ 5 % loss, ≥ 400 ms
 * round trip, < 5 fps while video is received, a consumer score ≤ 3 or a blocked sound; amber at
 * ≥ 1 % loss, ≥ 150 ms, ≥ 30 ms jitter, < 15 fps or a score ≤ 6.
 */
export function qualityLevel(s: KioskStats, score: number | null): QualityLevel {
  const videoExpected = s.bitrateKbps > 200;
  if (s.lossPct >= 5 || s.rttMs >= 400 || (videoExpected && s.fps < 5) || (score !== null && score <= 3) || s.soundBlocked) return 'red';
  if (s.lossPct >= 1 || s.rttMs >= 150 || s.jitterMs >= 30 || (videoExpected && s.fps < 15) || (score !== null && score <= 6)) return 'amber';
  return 'green';
}
