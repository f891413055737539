/**
 * WHIP (RFC 9725) for OBS, vMix and other encoders: POST an SDP offer with the lecture's ingest
 * key as bearer token → 201, the answer (complete ICE-lite candidates, no trickle), a Location
 * and an ETag; DELETE the Location ends the feed; PATCH (trickle ICE, ICE restart) → 405, as the
 * RFC allows when the answer's candidates are complete; OPTIONS answers CORS pre-flights and says
 * what the endpoint accepts.
 */
import express, { Router, type Request, type Response } from 'express';
import { lectureIdSchema, TeleclassError } from '@teleclass/shared';
import type { IngestService } from './IngestService.js';
import { openWhipFeed } from './whipFeed.js';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, DELETE, PATCH, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
  'Access-Control-Expose-Headers': 'Location, ETag, Link, Accept-Post, Accept-Patch',
};
const STATUS: Partial<Record<TeleclassError['code'], number>> = {
  BAD_REQUEST: 400, NOT_FOUND: 404, FEED_BUSY: 409, MEDIA_ERROR: 400, LECTURE_ENDED: 409, UNAUTHORIZED: 401,
};
/** Largest offer taken (a simulcast offer with many codecs is ~10 KB). */
const MAX_OFFER = '64kb';

function plain(res: Response, status: number, text: string): void {
  res.status(status).type('text/plain').send(`${text}\n`);
}

const bearer = (req: Request) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '')?.[1];

export function whipRoutes(ingest: IngestService): Router {
  const router = Router();
  const sessions = new Map<string, string>(); // resource id → lecture id
  // Only the WHIP endpoint is open to any origin (encoders and web publishers post from anywhere);
  // the router is mounted at the root, so an unscoped middleware put these on every answer,
  // the admin API's too.
  router.use('/whip', (_req, res, next) => {
    for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  /** The lecture named in the path when the bearer token is its ingest key; else answered (400/401). */
  const authorized = async (req: Request, res: Response): Promise<string | undefined> => {
    const id = lectureIdSchema.safeParse(req.params['id']);
    if (!id.success) return void plain(res, 404, 'No such lecture.');
    if (!(await ingest.keys.check(id.data, bearer(req)))) {
      ingest.log.warn({ lectureId: id.data, address: req.socket.remoteAddress, protocol: 'whip' }, 'studio feed refused: wrong or missing ingest key');
      res.setHeader('WWW-Authenticate', 'Bearer realm="teleclass-ingest"');
      return void plain(res, 401, 'The bearer token is not this lecture’s ingest key.');
    }
    return id.data;
  };

  router.options('/whip/:id', (_req, res) => {
    res.setHeader('Accept-Post', 'application/sdp');
    res.status(204).end();
  });
  router.post('/whip/:id', express.text({ type: 'application/sdp', limit: MAX_OFFER }), async (req, res) => {
    const lectureId = await authorized(req, res);
    if (!lectureId) return;
    if (!req.is('application/sdp') || typeof req.body !== 'string') return plain(res, 415, 'Send the SDP offer as application/sdp.');
    try {
      const feed = await ingest.feedOf(lectureId);
      const session = await openWhipFeed(await ingest.registry.getOrCreate(lectureId), feed, req.body, ingest.whipIceConsentTimeout);
      for (const [id, lecture] of sessions) if (lecture === lectureId) sessions.delete(id); // the one it replaced
      sessions.set(session.id, lectureId);
      const location = `/whip/${encodeURIComponent(lectureId)}/${session.id}`;
      res.status(201).type('application/sdp').setHeader('Location', location).setHeader('ETag', session.etag).send(session.answer);
    } catch (error) {
      ingest.release(lectureId); // an offer that failed must not leave an empty room open
      if (!(error instanceof TeleclassError)) throw error;
      if (error.code === 'FEED_BUSY') ingest.log.warn({ lectureId }, 'second studio feed refused: one is live');
      plain(res, STATUS[error.code] ?? 500, error.message);
    }
  });

  router.options('/whip/:id/:resource', (_req, res) => {
    res.setHeader('Allow', 'DELETE, OPTIONS');
    res.status(204).end();
  });
  router.patch('/whip/:id/:resource', async (req, res) => {
    if (!(await authorized(req, res))) return;
    res.setHeader('Allow', 'DELETE, OPTIONS');
    plain(res, 405, 'Trickle ICE and ICE restarts are not supported: the answer carries every candidate. POST a new offer instead.');
  });
  router.delete('/whip/:id/:resource', async (req, res) => {
    const lectureId = await authorized(req, res);
    if (!lectureId) return;
    const resource = String(req.params['resource']);
    if (sessions.get(resource) !== lectureId) return plain(res, 404, 'No such WHIP session.');
    sessions.delete(resource);
    if (ingest.registry.get(lectureId)) (await ingest.feedOf(lectureId)).end(resource, 'the encoder ended it (DELETE)');
    res.status(200).end();
  });
  return router;
}
