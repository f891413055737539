/**
 * The pre-flight network test's routes (README: Pre-flight), mounted under a base that decides who
 * may call: the kiosk's (`/kiosk/<siteId>/probe`, its kiosk token) and the studio's
 * (`/studio/<lectureId>/probe`, the trainer's link token). POST <base> opens a probe (201), then
 * POST <base>/<probeId>/connect (204), /produce (201 `{ id }`) and /finish (200, the SFU's figures;
 * the probe is closed). Media refusals come back as coded errors with their HTTP status.
 */
import express, { Router, type Request } from 'express';
import {
  probeConnectRequestSchema,
  probeIdSchema,
  probeProduceRequestSchema,
  TeleclassError,
} from '@teleclass/shared';
import { isCurrentLink, TokenError } from '../../auth/tokens.js';
import { RateLimiter } from '../../lecture/RateLimiter.js';
import type { NetworkProbe } from '../../media/NetworkProbe.js';
import type { ApiDeps } from './context.js';
import { API_ERRORS, ApiError, parseOr400, type ApiErrorCode } from './errors.js';

/** A studio's calls: this many at once per lecture, then this many a second (a test makes five). */
export const PROBE_BURST = 10;
export const PROBE_PER_SECOND = 2;
/** rtpParameters of one stream are a few KB. */
const PROBE_BODY = '16kb';

/** Who calls (their probe's owner, e.g. `site:<id>`); throws an ApiError when nobody may. */
export type ProbeAuthoriser = (req: Request) => Promise<string>;

/** A media refusal as the API's error: same code where the API has it, else INTERNAL. */
function apiError(error: unknown): unknown {
  if (!(error instanceof TeleclassError)) return error;
  const code = (error.code in API_ERRORS ? error.code : 'INTERNAL') as ApiErrorCode;
  return new ApiError(code, error.message);
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw apiError(error);
  }
}

const probeIdOf = (req: Request): string => parseOr400(probeIdSchema, req.params['probeId'], 'network test id');

/** The four probe routes under `base`, each authorised by `authorise`. */
export function mountProbe(router: Router, base: string, authorise: ProbeAuthoriser, probes: NetworkProbe): void {
  const json = express.json({ limit: PROBE_BODY });
  router.post(base, async (req, res) => {
    const owner = await authorise(req);
    res.status(201).json(await call(() => probes.open(owner)));
  });
  router.post(`${base}/:probeId/connect`, json, async (req, res) => {
    const owner = await authorise(req);
    const id = probeIdOf(req);
    const body = parseOr400(probeConnectRequestSchema, req.body ?? undefined, 'connect');
    await call(() => probes.connect(owner, id, body.dtlsParameters));
    res.status(204).end();
  });
  router.post(`${base}/:probeId/produce`, json, async (req, res) => {
    const owner = await authorise(req);
    const id = probeIdOf(req);
    const body = parseOr400(probeProduceRequestSchema, req.body ?? undefined, 'produce');
    res.status(201).json({ id: await call(() => probes.produce(owner, id, body.kind, body.rtpParameters)) });
  });
  router.post(`${base}/:probeId/finish`, async (req, res) => {
    const owner = await authorise(req);
    const id = probeIdOf(req);
    res.json(await call(() => probes.finish(owner, id)));
  });
}

/** The bearer token of a request, or a 401. */
export function bearer(req: Request, what: string): string {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
  if (!match) throw new ApiError('UNAUTHORIZED', `A ${what} is needed: Authorization: Bearer <token>.`);
  return match[1]!;
}

/**
 * The studio's network test (`/studio/<lectureId>/probe`), with the trainer's link token of that
 * lecture (a rotated link is refused, as on signaling); at most PROBE_BURST calls at once per
 * lecture, then PROBE_PER_SECOND a second.
 */
export function studioProbeRoutes(deps: ApiDeps, probes: NetworkProbe): Router {
  const router = Router();
  const limiter = new RateLimiter(PROBE_BURST, PROBE_PER_SECOND);
  mountProbe(
    router,
    '/studio/:lectureId/probe',
    async (req) => {
      const lectureId = String(req.params['lectureId']);
      const token = bearer(req, "trainer's link token");
      let claims;
      try {
        claims = await deps.tokens.verify(token, lectureId);
      } catch (error) {
        if (error instanceof TokenError) throw new ApiError('UNAUTHORIZED', 'The link is not valid.');
        throw error;
      }
      const lecture = await deps.store.getLecture(claims.lectureId);
      if (!lecture) throw new ApiError('NOT_FOUND', 'No such lecture.');
      if (claims.role !== 'trainer') throw new ApiError('FORBIDDEN', "Only the trainer's link may run the studio's network test.");
      if (!isCurrentLink(claims, await deps.store.linkVersions(lecture.id))) throw new ApiError('LINK_REVOKED', 'This link was replaced by a new one.');
      if (lecture.state === 'ended') throw new ApiError('INVALID_STATE', 'The lecture has ended.');
      if (!limiter.take(lecture.id)) throw new ApiError('RATE_LIMITED', 'Too many requests; slow down.');
      return `studio:${lecture.id}`;
    },
    probes,
  );
  return router;
}
