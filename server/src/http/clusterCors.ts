import type { RequestHandler } from 'express';

/**
 * Cluster mode: a kiosk page loaded from one node keeps polling when that node dies by calling
 * another node of the cluster (client/src/signaling/httpFailover.ts). Those calls are cross-origin, so
 * the kiosk's API (`/api/kiosk/...`) and `/healthz` (the node list) answer CORS for the origins of the cluster's nodes only (no
 * credentials: the kiosk's token is in the Authorization header). Anything else gets no CORS
 * header (the browser refuses it, as before).
 */
export function clusterCors(allowed: (origin: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const path = req.path.startsWith('/api/kiosk/') || req.path === '/healthz';
    if (typeof origin !== 'string' || !path || !allowed(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
