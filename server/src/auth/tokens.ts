/**
 * Join tokens: HS256 JWTs that let one identity into one lecture with one role. The admin API
 * issues them inside links; the signaling layer verifies them (and issues personal attendee
 * tokens on join). Signature, algorithm, audience, issuer and expiry are checked as jose's
 * jwtVerify checks them, with node:crypto's HMAC at once (#verifyJwt; tested against jose-made
 * tokens); zod then checks the payload's shape, so a forged or malformed token is a TokenError,
 * never a crash.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { displayNameSchema, lectureIdSchema, roleSchema, type Role } from '@teleclass/shared';
import { signViewToken, verifyViewToken, type ViewClaims } from './viewTokens.js';
import { signKioskToken, verifyKioskToken, type KioskClaims } from './kioskTokens.js';

export interface JoinClaims {
  lectureId: string;
  role: Role;
  /** 'trainer', 'site:<name>', 'attendees' (the shared attendee link) or 'attendee:<uuid>'. */
  identity: string;
  name?: string;
  site?: string;
  /** The version of the link's scope it was signed at (see linkScope); 1 when absent. */
  version?: number;
  /** A site join minted for a kiosk link: the site's id and the kiosk link's version (see kioskTokens). */
  kiosk?: KioskClaims;
}

/** Whether a join minted from a kiosk link still belongs to the site's current kiosk link (`kioskVersion`: undefined when the site is gone). */
export function isCurrentKiosk(claims: Pick<JoinClaims, 'kiosk'>, kioskVersion: (siteId: string) => number | undefined): boolean {
  return claims.kiosk === undefined || kioskVersion(claims.kiosk.siteId) === claims.kiosk.version;
}

/** Which links a token belongs to, for revocation: 'trainer', 'attendee' (shared and personal) or 'site:<name>'. */
export function linkScope(claims: Pick<JoinClaims, 'role' | 'site'>): string {
  if (claims.role === 'site') return siteIdentity(claims.site ?? '');
  return claims.role;
}

/** Whether a token still belongs to its scope's current version (`versions` from the store). */
export function isCurrentLink(claims: JoinClaims, versions: Record<string, number>): boolean {
  return (claims.version ?? 1) === (versions[linkScope(claims)] ?? 1);
}

export type TokenErrorCode = 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_WRONG_LECTURE' | 'TOKEN_WRONG_RECORDING';

export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const TOKEN_AUDIENCE = 'teleclass-join';
export const TOKEN_ISSUER = 'teleclass';
const ALGORITHM = 'HS256';
/** Longer than any token we issue by far; longer input is refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;

/** The identity of the shared attendee link (each person types a name). */
export const SHARED_ATTENDEE_IDENTITY = 'attendees';
export const TRAINER_IDENTITY = 'trainer';
export const siteIdentity = (site: string) => `site:${site}`;
/** A personal attendee identity, issued when someone joins through the shared link. */
export const newAttendeeIdentity = () => `attendee:${randomUUID()}`;

const siteNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'no control characters');
const personalAttendee = /^attendee:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a join token's payload must hold; the role and identity must agree. */
const claimsSchema = z
  .object({
    lectureId: lectureIdSchema,
    role: roleSchema,
    identity: z.string().min(1).max(128),
    name: displayNameSchema.optional(),
    site: siteNameSchema.optional(),
    version: z.number().int().min(1).max(1_000_000).optional(),
    kiosk: z.object({ siteId: lectureIdSchema, version: z.number().int().min(1) }).optional(),
  })
  .superRefine((c, ctx) => {
    const ok =
      c.role === 'trainer'
        ? c.identity === TRAINER_IDENTITY && c.site === undefined
        : c.role === 'site'
          ? c.site !== undefined && c.identity === siteIdentity(c.site)
          : c.site === undefined && (c.identity === SHARED_ATTENDEE_IDENTITY || personalAttendee.test(c.identity));
    if (!ok) ctx.addIssue({ code: 'custom', path: ['identity'], message: `does not fit role ${c.role}` });
  });

/** The payload as signed (registered claims are checked by jose; these by zod). */
const payloadSchema = z.object({
  sub: z.string(),
  lec: z.string(),
  role: z.string(),
  name: z.string().optional(),
  site: z.string().optional(),
  ver: z.number().optional(),
  ksid: z.string().optional(),
  kver: z.number().optional(),
  jti: z.string().min(1),
});

/**
 * When links for a lecture stop working: `validityHours` after its scheduled start, but never
 * less than 24 hours from `now` (a link made for a lecture long past still works for a day).
 */
export function linkExpiry(scheduledStart: string | Date, validityHours: number, now = Date.now()): Date {
  const start = typeof scheduledStart === 'string' ? Date.parse(scheduledStart) : scheduledStart.getTime();
  const fromSchedule = Number.isNaN(start) ? -Infinity : start + validityHours * 3_600_000;
  return new Date(Math.max(fromSchedule, now + 24 * 3_600_000));
}

export class TokenService {
  readonly #key: Uint8Array;
  /**
   * A join token's payload, checked as jose's jwtVerify checks it (algorithm HS256 only, no
   * `crit`, the signature, audience, issuer, sub/jti/iat/exp present, exp in the future, nbf
   * passed), with node:crypto's HMAC at once: every socket's handshake verifies one, and jose's
   * WebCrypto verification is a thread-pool round trip (up to 14 ms p95 on a loaded server).
   * TokenError: TOKEN_EXPIRED, or TOKEN_INVALID for anything else.
   */
  #verifyJwt(token: string): Record<string, unknown> {
    const invalid = () => new TokenError('TOKEN_INVALID', 'The link is not valid.');
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid();
    const [head, body, signature] = parts as [string, string, string];
    const json = (part: string): Record<string, unknown> => {
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
      return value as Record<string, unknown>;
    };
    const header = json(head);
    if (header['alg'] !== ALGORITHM || header['crit'] !== undefined) throw invalid();
    const given = Buffer.from(signature, 'base64url');
    const expected = createHmac('sha256', this.#key).update(`${head}.${body}`).digest();
    // Only the canonical encoding of the exact MAC (Buffer.from would skip stray characters).
    if (given.toString('base64url') !== signature || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const payload = json(body);
    const aud = payload['aud'];
    if (!(aud === TOKEN_AUDIENCE || (Array.isArray(aud) && aud.includes(TOKEN_AUDIENCE)))) throw invalid();
    if (payload['iss'] !== TOKEN_ISSUER) throw invalid();
    for (const claim of ['sub', 'jti', 'iat', 'exp']) if (payload[claim] === undefined) throw invalid();
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp, nbf } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number' || (nbf !== undefined && typeof nbf !== 'number')) throw invalid();
    if (typeof nbf === 'number' && nbf > now) throw invalid();
    if (exp <= now) throw new TokenError('TOKEN_EXPIRED', 'The link has expired.');
    return payload;
  }

  /** `secret`: JWT_SECRET or the generated one (see loadSecret), at least 32 characters. */
  constructor(secret: string | Uint8Array) {
    this.#key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (this.#key.byteLength < 32) throw new TypeError('the token secret must be at least 32 bytes');
  }

  /** A new device token: `<uuid>.<mac>`, kept by the browser and sent with every connection. */
  newDevice(): string {
    const id = randomUUID();
    return `${id}.${this.#deviceMac(id)}`;
  }

  /** The device id inside a device token this server signed, or null for anything else. */
  verifyDevice(token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 100) return null;
    const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const expected = Buffer.from(this.#deviceMac(match[1]!));
    const given = Buffer.from(match[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
  }

  #deviceMac(id: string): string {
    return createHmac('sha256', this.#key).update(`teleclass-device:${id}`).digest('base64url');
  }

  /**
   * A calendar feed's token for `scope` (`site:<id>:<kioskVersion>` or `lecture:<id>`): an HMAC,
   * not a JWT, short enough for a calendar app's address and valid as long as its scope is.
   */
  calendarToken(scope: string): string {
    return createHmac('sha256', this.#key).update(`teleclass-calendar:${scope}`).digest('base64url');
  }

  /** Whether `token` is the calendar token of `scope`. */
  verifyCalendar(token: unknown, scope: string): boolean {
    if (typeof token !== 'string' || token.length !== 43) return false;
    const expected = Buffer.from(this.calendarToken(scope));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** A kiosk link's token for one site at its kiosk link's version. */
  signKiosk(claims: KioskClaims): Promise<string> {
    return signKioskToken(this.#key, claims);
  }

  /** The claims of a valid kiosk token (its version is checked against the store by the caller). */
  verifyKiosk(token: string, siteId?: string): Promise<KioskClaims> {
    return verifyKioskToken(this.#key, token, siteId);
  }

  /** A viewing token (audience 'teleclass-view') for one recording, valid until `expiresAt`. */
  signView(claims: ViewClaims, expiresAt: Date): Promise<string> {
    return signViewToken(this.#key, claims, expiresAt);
  }

  /** The claims of a valid viewing token; TokenError otherwise (TOKEN_WRONG_RECORDING: for another one). */
  verifyView(token: string, recordingId?: string): Promise<ViewClaims> {
    return verifyViewToken(this.#key, token, recordingId);
  }

  /** A signed token for `claims`, valid until `expiresAt`. */
  async sign(claims: JoinClaims, expiresAt: Date): Promise<string> {
    const parsed = claimsSchema.safeParse(claims);
    if (!parsed.success) {
      throw new TokenError('TOKEN_INVALID', `cannot sign these claims: ${z.prettifyError(parsed.error)}`);
    }
    const c = parsed.data;
    // The same JWT jose's SignJWT makes, signed here with node:crypto's HMAC at once: jose signs
    // through WebCrypto, two thread-pool round trips (3-10 ms p95 on a loaded server) on every
    // attendee's join path (a personal token per join). #verifyJwt checks it as jose's jwtVerify does.
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const payload = {
      lec: c.lectureId,
      role: c.role,
      ...(c.name !== undefined && { name: c.name }),
      ...(c.site !== undefined && { site: c.site }),
      ...(c.version !== undefined && c.version !== 1 && { ver: c.version }),
      ...(c.kiosk !== undefined && { ksid: c.kiosk.siteId, kver: c.kiosk.version }),
      sub: c.identity,
      aud: TOKEN_AUDIENCE,
      iss: TOKEN_ISSUER,
      jti: randomUUID(),
      iat: seconds(Date.now()),
      exp: seconds(expiresAt.getTime()),
    };
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: ALGORITHM, typ: 'JWT' })}.${encode(payload)}`;
    return `${signingInput}.${createHmac('sha256', this.#key).update(signingInput).digest('base64url')}`;
  }

  /**
   * The claims of a valid token; throws TokenError: TOKEN_EXPIRED, TOKEN_INVALID (bad signature,
   * algorithm, audience, issuer or shape; junk), TOKEN_WRONG_LECTURE (valid, for another lecture
   * than `lectureId`).
   */
  async verify(token: string, lectureId?: string): Promise<JoinClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new TokenError('TOKEN_INVALID', 'The link is not valid.');
    }
    const payload = this.#verifyJwt(token);
    const shape = payloadSchema.safeParse(payload);
    const claims =
      shape.success &&
      claimsSchema.safeParse({
        lectureId: shape.data.lec,
        role: shape.data.role,
        identity: shape.data.sub,
        name: shape.data.name,
        site: shape.data.site,
        version: shape.data.ver,
        kiosk: shape.data.ksid !== undefined ? { siteId: shape.data.ksid, version: shape.data.kver } : undefined,
      });
    if (!claims || !claims.success) throw new TokenError('TOKEN_INVALID', 'The link is not valid.');
    if (lectureId !== undefined && claims.data.lectureId !== lectureId) {
      throw new TokenError('TOKEN_WRONG_LECTURE', 'The link is for another lecture.');
    }
    const { name, site, version, kiosk, ...rest } = claims.data;
    return {
      ...rest,
      ...(kiosk !== undefined && { kiosk }),
      ...(name !== undefined && { name }),
      ...(site !== undefined && { site }),
      ...(version !== undefined && { version }),
    };
  }
}
