import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`. Compares SHA-256 digests with
 * timingSafeEqual, so neither the token's content nor its length leaks through timing.
 */
export function requireAdmin(adminToken: string): RequestHandler {
  const expected = digest(adminToken);
  return (req, res, next) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="teleclass-admin"');
    sendError(res, 'UNAUTHORIZED', match ? 'The admin token is wrong.' : 'An admin token is needed: Authorization: Bearer <token>.');
  };
}
