import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Node-to-node requests are signed with a key derived from the cluster's shared JWT_SECRET
 * (every node of a cluster has the same one): HMAC-SHA256 over the method, the path with its
 * query, the time, the calling node's id and the body's hash. A request older or newer than
 * MAX_SKEW_MS is refused, so a captured one cannot be replayed later.
 */
export const NODE_HEADER = 'x-teleclass-node';
export const TIME_HEADER = 'x-teleclass-time';
export const SIGNATURE_HEADER = 'x-teleclass-signature';
export const MAX_SKEW_MS = 30_000;

/** The cascade's own key, so a leaked request signature says nothing about the JWT key. */
export function cascadeKey(jwtSecret: string | Buffer): Buffer {
  return createHmac('sha256', jwtSecret).update('teleclass node-to-node cascade v1').digest();
}

function signature(key: Buffer, method: string, path: string, time: string, node: string, body: Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', key).update(`${method.toUpperCase()}\n${path}\n${time}\n${node}\n${bodyHash}`).digest('hex');
}

/** The headers that sign one request. */
export function signRequest(key: Buffer, node: string, method: string, path: string, body: Buffer, now = Date.now()): Record<string, string> {
  const time = String(now);
  return { [NODE_HEADER]: node, [TIME_HEADER]: time, [SIGNATURE_HEADER]: signature(key, method, path, time, node, body) };
}

/** The calling node's id when the request is signed with our key and recent; null otherwise. */
export function verifyRequest(
  key: Buffer,
  req: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  now = Date.now(),
): string | null {
  const node = req.headers[NODE_HEADER];
  const time = req.headers[TIME_HEADER];
  const given = req.headers[SIGNATURE_HEADER];
  if (typeof node !== 'string' || typeof time !== 'string' || typeof given !== 'string') return null;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(node) || !/^\d{1,16}$/.test(time) || !/^[0-9a-f]{64}$/.test(given)) return null;
  if (Math.abs(now - Number(time)) > MAX_SKEW_MS) return null;
  const expected = Buffer.from(signature(key, req.method, req.path, time, node, req.body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? node : null;
}
