import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { recordingIdSchema } from '@teleclass/shared';
import { verifyRequest } from '../cluster/cascade/signing.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import { errorHandler, parseOr400 } from './api/errors.js';
import { serveVideo } from './api/recordings.js';
import { removeRecordingFiles } from './api/recordingFiles.js';
import type { RecordingsApiDeps } from './api/recordingsContext.js';

/**
 * The internal API of a node's recordings, for the other nodes of the cluster only (mounted at
 * /internal/recordings): the files of the recordings this node made, which are in its DATA_DIR.
 * Every request is signed with the cluster's node-to-node key (cluster/cascade/signing.ts), has
 * no body, and anything else is 401. The asking node checked the page's access first
 * (cluster/recordingNodes.ts).
 *
 *   GET    /internal/recordings/:id/video   the composed MP4 (Range requests, ?download=1)
 *   DELETE /internal/recordings/:id/files   remove its folder; its job stops here
 */
export function internalRecordingRoutes(deps: { store: Store; lib: RecordingsApiDeps; key: Buffer; logger: Logger }): Router {
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const node = verifyRequest(deps.key, { method: req.method, path: req.originalUrl, headers: req.headers, body: Buffer.alloc(0) });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!node || declared > 0) {
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Not signed by a node of this cluster.' } });
      return;
    }
    res.locals['node'] = node;
    next();
  });
  const recordOf = async (req: Request) => {
    const id = parseOr400(recordingIdSchema, req.params['id'], 'recording id');
    return deps.store.getRecording(id);
  };
  router.get('/:id/video', async (req, res) => {
    const record = await recordOf(req);
    if (!record) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such recording.' } });
      return;
    }
    await serveVideo(deps.lib, deps.store, record, req, res);
  });
  router.delete('/:id/files', async (req, res) => {
    const record = await recordOf(req);
    if (!record) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such recording.' } });
      return;
    }
    await removeRecordingFiles(deps.lib, record, deps.logger);
    deps.logger.info({ recordingId: record.id, by: res.locals['node'] }, "recording's files removed at another node's request");
    res.status(204).end();
  });
  router.use(errorHandler(deps.logger));
  return router;
}
