/**
 * Viewing tokens: HS256 JWTs (audience 'teleclass-view', not 'teleclass-join', so a join link
 * never opens a recording and a viewing link never joins a lecture) that let anyone holding the
 * link watch one recording, until they expire. TokenService.signView / verifyView use these.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { recordingIdSchema } from '@teleclass/shared';
import { TOKEN_ISSUER, TokenError } from './tokens.js';

export const VIEW_TOKEN_AUDIENCE = 'teleclass-view';
const ALGORITHM = 'HS256';
const MAX_TOKEN_LENGTH = 4096;

export interface ViewClaims {
  recordingId: string;
}

const viewPayloadSchema = z.object({ rec: recordingIdSchema, jti: z.string().min(1) });

export async function signViewToken(key: Uint8Array, claims: ViewClaims, expiresAt: Date): Promise<string> {
  const parsed = recordingIdSchema.safeParse(claims.recordingId);
  if (!parsed.success) throw new TokenError('TOKEN_INVALID', 'cannot sign a viewing token for this recording id');
  return new SignJWT({ rec: parsed.data })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setAudience(VIEW_TOKEN_AUDIENCE)
    .setIssuer(TOKEN_ISSUER)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);
}

/**
 * The claims of a valid viewing token; throws TokenError: TOKEN_EXPIRED, TOKEN_INVALID (junk,
 * bad signature, another audience such as a join link), TOKEN_WRONG_RECORDING (valid, for
 * another recording than `recordingId`).
 */
export async function verifyViewToken(key: Uint8Array, token: string, recordingId?: string): Promise<ViewClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new TokenError('TOKEN_INVALID', 'The viewing link is not valid.');
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      audience: VIEW_TOKEN_AUDIENCE,
      issuer: TOKEN_ISSUER,
      requiredClaims: ['jti', 'iat', 'exp'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError('TOKEN_EXPIRED', 'The viewing link has expired.');
    throw new TokenError('TOKEN_INVALID', 'The viewing link is not valid.');
  }
  const shape = viewPayloadSchema.safeParse(payload);
  if (!shape.success) throw new TokenError('TOKEN_INVALID', 'The viewing link is not valid.');
  if (recordingId !== undefined && shape.data.rec !== recordingId) {
    throw new TokenError('TOKEN_WRONG_RECORDING', 'The viewing link is for another recording.');
  }
  return { recordingId: shape.data.rec };
}
