import compression from 'compression';
import type { RequestHandler } from 'express';

/**
 * JSON answers of the admin and kiosk API, compressed (brotli or gzip, as the request accepts)
 * when over 1 kB: a kiosk's poll and the admin's lists on a weak link. Only JSON: recordings'
 * MP4 (ranges, 206), WHIP's `application/sdp` and everything streamed pass untouched.
 */
export const jsonCompression: RequestHandler = compression({
  threshold: 1024,
  filter: (_req, res) => /^application\/json\b/.test(String(res.getHeader('Content-Type') ?? '')),
});
