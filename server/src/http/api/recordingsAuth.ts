/**
 * Who may see a recording: the admin (Authorization: Bearer <admin token>) or anyone holding a
 * signed viewing link for exactly that recording (`?token=`). Answers with an ApiError otherwise:
 * 401 (nothing, a wrong admin token, a bad or expired link), 403 (a valid link for another one).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { TokenError, type TokenService } from '../../auth/tokens.js';
import { ApiError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const viewTokenQuery = z.string().min(1).max(4096);

export type Access = 'admin' | 'viewer';

/** true: the admin token; false: no Authorization header; throws 401: some other Authorization. */
export function isAdmin(req: Request, adminToken: string): boolean {
  const header = req.get('authorization');
  if (header === undefined) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match && timingSafeEqual(digest(match[1]!), digest(adminToken))) return true;
  throw new ApiError('UNAUTHORIZED', match ? 'The admin token is wrong.' : 'An admin token is needed: Authorization: Bearer <token>.');
}

export function requireAdminOf(req: Request, adminToken: string): void {
  if (!isAdmin(req, adminToken)) {
    throw new ApiError('UNAUTHORIZED', 'An admin token is needed: Authorization: Bearer <token>.');
  }
}

/** The admin, or a viewing link for `recordingId`. */
export async function accessTo(req: Request, recordingId: string, adminToken: string, tokens: TokenService): Promise<Access> {
  if (isAdmin(req, adminToken)) return 'admin';
  const token = viewTokenQuery.safeParse(req.query['token']);
  if (!token.success) throw new ApiError('UNAUTHORIZED', 'A viewing link (?token=) or the admin token is needed.');
  try {
    await tokens.verifyView(token.data, recordingId);
    return 'viewer';
  } catch (error) {
    if (error instanceof TokenError && error.code === 'TOKEN_WRONG_RECORDING') throw new ApiError('FORBIDDEN', error.message);
    if (error instanceof TokenError) throw new ApiError('UNAUTHORIZED', error.message);
    throw error;
  }
}
