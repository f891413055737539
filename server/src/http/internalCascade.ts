import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { TeleclassError } from '@teleclass/shared';
import type { z } from 'zod';
import { Cascade, CascadeRefusal } from '../cluster/cascade/Cascade.js';
import { consumeSchema, MAX_INTERNAL_BODY, openLinkSchema, pauseSchema, pipedProducerSchema } from '../cluster/cascade/protocol.js';
import { verifyRequest } from '../cluster/cascade/signing.js';
import type { Logger } from '../logger.js';
import type { PipedProducer } from '../media/NodePipes.js';

/** HTTP status of a coded refusal of the media layer. */
const STATUS: Partial<Record<string, number>> = { BAD_REQUEST: 400, NOT_FOUND: 404, INVALID_STATE: 409, LIMIT: 429, MEDIA_ERROR: 503 };

const idPattern = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The internal API of the media cascade, for the other nodes of the cluster only: every request
 * is signed with the cluster's shared key (signing.ts) and at most 64 kB; anything else is 401
 * before its body is read further. A node reaches only the links it opened itself.
 *
 *   POST   /internal/cascade/links                              open a pipe for a lecture
 *   GET    /internal/cascade/links/:id/events                   its producers (server-sent events)
 *   POST   /internal/cascade/links/:id/consume                  send a producer down the pipe
 *   POST   /internal/cascade/links/:id/produce                  take a producer sent up
 *   POST   /internal/cascade/links/:id/producers/:pid/pause     it paused or resumed below
 *   POST   /internal/cascade/links/:id/producers/:pid/close     it closed below
 *   POST   /internal/cascade/links/:id/producers/:pid/keyframe  a key frame of a stream sent down, please
 *   DELETE /internal/cascade/links/:id                          the link closes
 *   GET    /internal/cascade/stats                              pipes, streams and bytes per lecture
 */
export function internalCascadeRoutes(cascade: Cascade, key: Buffer, logger: Logger): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: MAX_INTERNAL_BODY }), (req: Request, res: Response, next: NextFunction) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const node = verifyRequest(key, { method: req.method, path: req.originalUrl, headers: req.headers, body });
    if (!node) {
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Not signed by a node of this cluster.' } });
      return;
    }
    res.locals['node'] = node;
    res.locals['json'] = body;
    next();
  });

  const parse = <S extends z.ZodType>(res: Response, schema: S): z.output<S> => {
    let json: unknown;
    try {
      json = (res.locals['json'] as Buffer).length === 0 ? {} : JSON.parse((res.locals['json'] as Buffer).toString('utf8'));
    } catch {
      throw new TeleclassError('BAD_REQUEST', 'The body is not JSON.');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new TeleclassError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300));
    return parsed.data;
  };
  const linkId = (req: Request) => {
    const id = String(req.params['linkId']);
    if (!idPattern.test(id)) throw new TeleclassError('BAD_REQUEST', 'A link id.');
    return id;
  };
  const producerId = (req: Request) => {
    const id = String(req.params['producerId']);
    if (!idPattern.test(id)) throw new TeleclassError('BAD_REQUEST', 'A producer id.');
    return id;
  };
  const handle = (fn: (req: Request, res: Response, node: string) => Promise<unknown> | unknown) => async (req: Request, res: Response) => {
    const node = res.locals['node'] as string;
    try {
      const answer = await fn(req, res, node);
      if (!res.headersSent) res.status(200).json(answer ?? {});
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof CascadeRefusal) {
        res.status(error.status).json({ error: { code: error.code, message: error.message } });
      } else if (error instanceof TeleclassError) {
        res.status(STATUS[error.code] ?? 500).json({ error: { code: error.code, message: error.message } });
      } else {
        logger.error({ err: error, path: req.path, node }, 'cascade: internal request failed');
        res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on this node.' } });
      }
    }
  };

  router.get('/stats', handle(() => cascade.stats()));
  router.post('/links', handle((_req, res, node) => cascade.openLink(node, parse(res, openLinkSchema))));
  router.get('/links/:linkId/events', handle((req, res, node) => cascade.follow(node, linkId(req), res)));
  router.post('/links/:linkId/consume', handle((req, res, node) => cascade.consume(node, linkId(req), parse(res, consumeSchema).producerId)));
  router.post(
    '/links/:linkId/produce',
    handle((req, res, node) => cascade.produce(node, linkId(req), parse(res, pipedProducerSchema) as PipedProducer)),
  );
  router.post(
    '/links/:linkId/producers/:producerId/pause',
    handle((req, res, node) => cascade.setPaused(node, linkId(req), producerId(req), parse(res, pauseSchema).paused)),
  );
  router.post('/links/:linkId/producers/:producerId/keyframe', handle((req, _res, node) => cascade.requestKeyFrame(node, linkId(req), producerId(req))));
  router.post('/links/:linkId/producers/:producerId/close', handle((req, _res, node) => cascade.closeProducer(node, linkId(req), producerId(req))));
  router.delete('/links/:linkId', handle((req, _res, node) => cascade.closeLink(node, linkId(req))));
  router.use((_req, res) => res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such internal route.' } }));
  return router;
}
