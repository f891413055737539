/**
 * Kiosk tokens: HS256 JWTs (audience 'teleclass-kiosk') in a site's kiosk link, `/kiosk/<siteId>?token=…`.
 * They name one site and the version of its kiosk link (SiteRecord.kioskVersion): rotating the
 * link moves the version on, so the old token — and every lecture join minted from it, which
 * carries the same version — stops working at once. A kiosk link has no practical expiry (a
 * kiosk is set up once, for years); revocation is by rotation.
 */
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { siteIdSchema } from '@teleclass/shared';
import { TOKEN_ISSUER, TokenError } from './tokens.js';

export const KIOSK_TOKEN_AUDIENCE = 'teleclass-kiosk';
const ALGORITHM = 'HS256';
const MAX_TOKEN_LENGTH = 4096;
/** Ten years: a kiosk link ends by rotation, not by age. */
const KIOSK_LINK_SECONDS = 10 * 365 * 24 * 3600;

export interface KioskClaims {
  siteId: string;
  version: number;
}

const kioskPayloadSchema = z.object({ sub: siteIdSchema, ver: z.number().int().min(1), jti: z.string().min(1) });

export async function signKioskToken(key: Uint8Array, claims: KioskClaims): Promise<string> {
  if (!siteIdSchema.safeParse(claims.siteId).success) throw new TokenError('TOKEN_INVALID', 'cannot sign a kiosk token for this site id');
  return new SignJWT({ ver: claims.version })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.siteId)
    .setAudience(KIOSK_TOKEN_AUDIENCE)
    .setIssuer(TOKEN_ISSUER)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + KIOSK_LINK_SECONDS)
    .sign(key);
}

/** The claims of a valid kiosk token (for `siteId`, when given); TokenError otherwise. Its version is checked by the caller. */
export async function verifyKioskToken(key: Uint8Array, token: string, siteId?: string): Promise<KioskClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new TokenError('TOKEN_INVALID', 'The kiosk link is not valid.');
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], audience: KIOSK_TOKEN_AUDIENCE, issuer: TOKEN_ISSUER }));
  } catch {
    throw new TokenError('TOKEN_INVALID', 'The kiosk link is not valid.');
  }
  const shape = kioskPayloadSchema.safeParse(payload);
  if (!shape.success) throw new TokenError('TOKEN_INVALID', 'The kiosk link is not valid.');
  if (siteId !== undefined && shape.data.sub !== siteId) throw new TokenError('TOKEN_INVALID', 'The kiosk link is for another site.');
  return { siteId: shape.data.sub, version: shape.data.ver };
}
