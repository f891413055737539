import { qualityLevel, TeleclassError } from '@teleclass/shared';
import type { Handler } from '../context.js';

/**
 * A classroom's figures, joined with the server's own (consumer score, video layer) and kept on
 * the site board for the studio's Sites panel and /metrics. One report per QUALITY_REPORT_SECONDS
 * per participant (a burst of 2): faster ones are refused.
 */
export const reportQuality: Handler<'reportQuality'> = async (session, req, deps) => {
  const { participant, room } = session;
  if (!deps.siteHealth.limiter.take(participant.id)) throw new TeleclassError('RATE_LIMITED', 'Quality reports come too fast.');
  const server = room.streams.receiveQuality({ participant, via: session.via });
  deps.siteHealth.board.report(room.lecture.id, participant.site ?? participant.displayName, {
    ...req,
    ...server,
    level: qualityLevel(req, server.score),
    at: Date.now(),
  });
  return {};
};

/** The studio's pre-flight results, kept for the admin's Network tab (same rate as quality reports). */
export const reportPreflight: Handler<'reportPreflight'> = async (session, req, deps) => {
  const { participant, room } = session;
  if (!deps.siteHealth.limiter.take(participant.id)) throw new TeleclassError('RATE_LIMITED', 'Pre-flight reports come too fast.');
  deps.siteHealth.board.setStudioPreflight(room.lecture.id, req);
  return {};
};
