import express, { type Express, type Router } from 'express';
import type { WorkerPool } from '../media/WorkerPool.js';
import { VERSION } from '../version.js';
import { createApiRouter, type ApiDeps } from './api/index.js';
import { jsonCompression } from './apiCompression.js';
import { finalErrorHandler } from './finalErrors.js';
import { whipRoutes } from '../ingest/whipRoutes.js';
import { securityHeaders } from './securityHeaders.js';
import { clusterCors } from './clusterCors.js';
import { staticClient } from './staticClient.js';
import type { Metrics } from './metrics.js';

export interface AppDeps {
  pool: WorkerPool;
  clientDist: string;
  startedAt: number;
  /** The admin API under /api (left out: no /api routes). */
  api?: ApiDeps;
  /** GET /metrics and request timing (left out: none). */
  metrics?: Metrics;
  /** Cluster mode: the media cascade's internal API for the other nodes (cluster/cascade), at /internal/cascade. */
  internal?: Router;
  /** Cluster mode: the files of this node's recordings for the other nodes (http/internalRecordings.ts), at /internal/recordings. */
  internalRecordings?: Router;
  /** Cluster mode: the cluster's nodes with their region and load, added to /healthz. */
  cluster?: { health(): Promise<object>; allowsOrigin?(origin: string): boolean };
}

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  workers: { alive: number; total: number };
  uptimeSeconds: number;
  version: string;
}

export function health({ pool, startedAt }: Pick<AppDeps, 'pool' | 'startedAt'>): Health {
  const alive = pool.aliveCount;
  return {
    status: alive === pool.size ? 'ok' : alive > 0 ? 'degraded' : 'down',
    workers: { alive, total: pool.size },
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    version: VERSION,
  };
}

/** The HTTP side: health, the admin API, then the built client (staticClient.ts: a single-page app, unknown paths get index.html). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  if (deps.metrics) {
    app.use(deps.metrics.http);
    app.use(deps.metrics.router());
  }

  // A kiosk page failed over from a dead node calls this one (clusterCors.ts).
  const cluster = deps.cluster;
  if (cluster?.allowsOrigin) app.use(clusterCors((origin) => cluster.allowsOrigin!(origin)));

  app.get('/healthz', async (_req, res) => {
    const h = health(deps);
    const cluster = deps.cluster ? await deps.cluster.health() : undefined;
    res.status(h.status === 'down' ? 503 : 200).json(cluster ? { ...h, cluster } : h);
  });

  if (deps.internal) app.use('/internal/cascade', deps.internal);
  if (deps.internalRecordings) app.use('/internal/recordings', deps.internalRecordings);
  if (deps.api?.ingest) app.use(whipRoutes(deps.api.ingest));
  if (deps.api) app.use('/api', jsonCompression, createApiRouter(deps.api));

  app.use(staticClient(deps.clientDist));
  app.use(finalErrorHandler(deps.api?.logger));
  return app;
}
