import type { Request } from 'express';
import type { LectureLinks } from '@teleclass/shared';
import {
  linkExpiry,
  linkScope,
  SHARED_ATTENDEE_IDENTITY,
  siteIdentity,
  TRAINER_IDENTITY,
  type JoinClaims,
  type TokenService,
} from '../../auth/tokens.js';
import type { LectureRecord } from '../../store/Store.js';

export type { LectureLinks };

/** host or host:port, a bracketed IPv6 address allowed; nothing else is trusted from Host. */
const HOST_HEADER = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The base of links: PUBLIC_URL, else https:// and the request's Host header. */
export function baseUrl(req: Request, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const host = req.headers.host;
  return host && HOST_HEADER.test(host) ? `https://${host}` : `https://localhost:${req.socket.localPort ?? 443}`;
}

/**
 * Fresh join links (one token each) for the trainer, every site and the shared attendee link,
 * each signed at its scope's current version (`versions` from the store: rotated scopes only).
 */
export async function lectureLinks(
  lecture: LectureRecord,
  tokens: TokenService,
  base: string,
  validityHours: number,
  versions: Record<string, number>,
  now = Date.now(),
): Promise<LectureLinks> {
  const expiresAt = linkExpiry(lecture.scheduledStart, validityHours, now);
  const lectureId = lecture.id;
  const v = (claims: JoinClaims): JoinClaims => ({ ...claims, version: versions[linkScope(claims)] ?? 1 });
  const url = (page: string, token: string) => `${base}/${page}/${encodeURIComponent(lectureId)}?token=${encodeURIComponent(token)}`;
  const [trainer, attendee, ...sites] = await Promise.all([
    tokens.sign(v({ lectureId, role: 'trainer', identity: TRAINER_IDENTITY, name: lecture.trainerName }), expiresAt),
    tokens.sign(v({ lectureId, role: 'attendee', identity: SHARED_ATTENDEE_IDENTITY }), expiresAt),
    ...lecture.sites.map((site) => tokens.sign(v({ lectureId, role: 'site', identity: siteIdentity(site), site }), expiresAt)),
  ]);
  return {
    trainer: url('studio', trainer!),
    sites: lecture.sites.map((site, i) => ({ site, url: url('site', sites[i]!) })),
    attendee: url('watch', attendee!),
    expiresAt: expiresAt.toISOString(),
    // The lecture's iCalendar feed (and its series'), for attendees' calendars; it does not expire.
    calendar: `${base}/api/lectures/${encodeURIComponent(lectureId)}/calendar.ics?token=${tokens.calendarToken(`lecture:${lectureId}`)}`,
  };
}
