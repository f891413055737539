import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  linkExpiry,
  newAttendeeIdentity,
  TokenError,
  TokenService,
  type JoinClaims,
  type TokenErrorCode,
} from '../../src/auth/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const tokens = new TokenService(SECRET);
const inAnHour = () => new Date(Date.now() + 3_600_000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

async function codeOf(promise: Promise<unknown>): Promise<TokenErrorCode> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as TokenError).code;
  }
  throw new Error('expected a TokenError');
}

const trainer: JoinClaims = { lectureId: 'law-abc123', role: 'trainer', identity: 'trainer', name: 'Aygün Məmmədova' };
const site: JoinClaims = { lectureId: 'law-abc123', role: 'site', identity: 'site:Gəncə', site: 'Gəncə' };
const shared: JoinClaims = { lectureId: 'law-abc123', role: 'attendee', identity: 'attendees' };

/** A token signed with the right key but with a payload of our choosing. */
const signRaw = (payload: Record<string, unknown>, key = SECRET) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('teleclass-join')
    .setIssuer('teleclass')
    .setIssuedAt()
    .setExpirationTime(inAnHour())
    .sign(new TextEncoder().encode(key));

describe('sign (node:crypto HMAC, no WebCrypto round trip)', () => {
  it('makes a standard HS256 JWT that jose verifies with the raw secret', async () => {
    const expires = inAnHour();
    const token = await tokens.sign(site, expires);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      algorithms: ['HS256'],
      audience: 'teleclass-join',
      issuer: 'teleclass',
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'site:Gəncə', lec: 'law-abc123', role: 'site', site: 'Gəncə', exp: Math.floor(expires.getTime() / 1000) });
    expect(await tokens.verify(token)).toEqual(site);
  });
});

describe('TokenService', () => {
  it.each([
    ['trainer', trainer],
    ['site', site],
    ['shared attendee link', shared],
    ['personal attendee', { lectureId: 'law-abc123', role: 'attendee', identity: newAttendeeIdentity(), name: 'Nigar' } as JoinClaims],
  ])('a valid %s token verifies to its claims', async (_what, claims) => {
    const token = await tokens.sign(claims, inAnHour());
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token, 'law-abc123')).toEqual(claims);
  });

  it('carries sub, lec, role, jti, iat, exp, aud and iss; HS256', async () => {
    const expiresAt = inAnHour();
    const token = await tokens.sign(site, expiresAt);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'HS256' });
    const payload = decode(token);
    expect(payload).toMatchObject({ sub: 'site:Gəncə', lec: 'law-abc123', role: 'site', site: 'Gəncə', aud: 'teleclass-join', iss: 'teleclass' });
    expect(payload.name).toBeUndefined();
    expect(payload.exp).toBe(Math.floor(expiresAt.getTime() / 1000));
    expect(Math.abs(payload.iat - Date.now() / 1000)).toBeLessThan(5);
    const other = decode(await tokens.sign(site, expiresAt));
    expect(other.jti).not.toBe(payload.jti);
  });

  it('an expired token: TOKEN_EXPIRED', async () => {
    const token = await tokens.sign(trainer, new Date(Date.now() - 1000));
    expect(await codeOf(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('a token signed with another secret: TOKEN_INVALID', async () => {
    const forged = await new TokenService('another-secret-that-is-long-enough-9876543210').sign(trainer, inAnHour());
    expect(await codeOf(tokens.verify(forged))).toBe('TOKEN_INVALID');
  });

  it('a token whose payload was changed after signing: TOKEN_INVALID', async () => {
    const [h, , sig] = (await tokens.sign(shared, inAnHour())).split('.');
    const payload = { ...decode(await tokens.sign(shared, inAnHour())), role: 'trainer', sub: 'trainer' };
    expect(await codeOf(tokens.verify(`${h}.${b64(payload)}.${sig}`))).toBe('TOKEN_INVALID');
  });

  it('a valid token for another lecture: TOKEN_WRONG_LECTURE', async () => {
    const token = await tokens.sign(trainer, inAnHour());
    expect(await codeOf(tokens.verify(token, 'other-lecture'))).toBe('TOKEN_WRONG_LECTURE');
  });

  it.each([
    ['empty', ''],
    ['junk', 'not a token'],
    ['three dots', 'a.b.c'],
    ['bad base64 json', `${b64({ alg: 'HS256' })}.%%%.xyz`],
    ['very long', 'a'.repeat(10_000)],
    ['a number', 42 as unknown as string],
    ['undefined', undefined as unknown as string],
  ])('malformed input (%s): TOKEN_INVALID, no crash', async (_what, junk) => {
    expect(await codeOf(tokens.verify(junk))).toBe('TOKEN_INVALID');
  });

  it("an unsecured token (alg 'none'): TOKEN_INVALID", async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: 'trainer', lec: 'law-abc123', role: 'trainer', jti: 'x', iat: now, exp: now + 3600, aud: 'teleclass-join', iss: 'teleclass' };
    for (const alg of ['none', 'None', 'NONE']) {
      expect(await codeOf(tokens.verify(`${b64({ alg, typ: 'JWT' })}.${b64(payload)}.`))).toBe('TOKEN_INVALID');
    }
  });

  it('right key, wrong audience, issuer or algorithm: TOKEN_INVALID', async () => {
    const key = new TextEncoder().encode(SECRET);
    const claims = { lec: 'law-abc123', role: 'trainer', jti: 'j' };
    const wrongAud = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('trainer').setAudience('elsewhere')
      .setIssuer('teleclass').setIssuedAt().setExpirationTime(inAnHour()).sign(key);
    const wrongIss = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('trainer').setAudience('teleclass-join')
      .setIssuer('someone').setIssuedAt().setExpirationTime(inAnHour()).sign(key);
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setSubject('trainer').setAudience('teleclass-join')
      .setIssuer('teleclass').setIssuedAt().setExpirationTime(inAnHour()).sign(key);
    for (const token of [wrongAud, wrongIss, hs512]) expect(await codeOf(tokens.verify(token))).toBe('TOKEN_INVALID');
  });

  it('verified as jose does: a jose-made token passes; crit, a future nbf, an array audience, a retouched signature', async () => {
    const key = new TextEncoder().encode(SECRET);
    const claims = { lec: 'law-abc123', role: 'trainer', jti: 'j' };
    const base = () => new SignJWT(claims).setSubject('trainer').setIssuer('teleclass').setIssuedAt().setExpirationTime(inAnHour());
    const good = await base().setProtectedHeader({ alg: 'HS256' }).setAudience('teleclass-join').sign(key);
    expect(await tokens.verify(good)).toEqual({ lectureId: 'law-abc123', role: 'trainer', identity: 'trainer' });
    const both = await base().setProtectedHeader({ alg: 'HS256' }).setAudience(['other', 'teleclass-join']).sign(key);
    expect((await tokens.verify(both)).identity).toBe('trainer');
    const crit = await base().setProtectedHeader({ alg: 'HS256', crit: ['b64'], b64: true }).setAudience('teleclass-join').sign(key);
    const early = await base().setProtectedHeader({ alg: 'HS256' }).setAudience('teleclass-join').setNotBefore(inAnHour()).sign(key);
    const [h, p, sig] = good.split('.');
    for (const token of [crit, early, `${h}.${p}.${sig}A`, `${h}.${p}.${sig!.slice(0, -2)}`, `${h}.${p}`, `${h}.${p}.${sig}.x`]) {
      expect(await codeOf(tokens.verify(token))).toBe('TOKEN_INVALID');
    }
  });

  it.each([
    ['no subject', { lec: 'law-abc123', role: 'trainer', jti: 'j' }],
    ['no jti', { sub: 'trainer', lec: 'law-abc123', role: 'trainer' }],
    ['unknown role', { sub: 'admin', lec: 'law-abc123', role: 'admin', jti: 'j' }],
    ['bad lecture id', { sub: 'trainer', lec: '../etc', role: 'trainer', jti: 'j' }],
    ['role and identity disagree', { sub: 'trainer', lec: 'law-abc123', role: 'attendee', jti: 'j' }],
    ['site without its name', { sub: 'site:Gəncə', lec: 'law-abc123', role: 'site', jti: 'j' }],
    ['site name mismatch', { sub: 'site:Gəncə', lec: 'law-abc123', role: 'site', site: 'Şəki', jti: 'j' }],
    ['attendee identity not a uuid', { sub: 'attendee:trainer', lec: 'law-abc123', role: 'attendee', jti: 'j' }],
    ['name of the wrong type', { sub: 'trainer', lec: 'law-abc123', role: 'trainer', name: 7, jti: 'j' }],
  ])('a correctly signed token with a bad payload (%s): TOKEN_INVALID', async (_what, payload) => {
    expect(await codeOf(tokens.verify(await signRaw(payload)))).toBe('TOKEN_INVALID');
  });

  it('refuses to sign claims that would not verify, and a short secret', async () => {
    await expect(tokens.sign({ ...trainer, identity: 'site:x' }, inAnHour())).rejects.toThrow(TokenError);
    await expect(tokens.sign({ ...trainer, lectureId: 'Bad Id' }, inAnHour())).rejects.toThrow(TokenError);
    expect(() => new TokenService('short')).toThrow(/32 bytes/);
  });
});

describe('linkExpiry', () => {
  const h = 3_600_000;
  const now = Date.parse('2026-03-01T00:00:00Z');

  it('is the scheduled start plus the validity hours', () => {
    expect(linkExpiry('2026-03-10T10:00:00+04:00', 48, now).toISOString()).toBe('2026-03-12T06:00:00.000Z');
    expect(linkExpiry(new Date('2026-03-10T06:00:00Z'), 1, now).toISOString()).toBe('2026-03-10T07:00:00.000Z');
  });

  it('is never less than 24 hours from now', () => {
    expect(linkExpiry('2020-01-01T00:00:00Z', 48, now).getTime()).toBe(now + 24 * h);
    expect(linkExpiry(new Date(now + 2 * h), 1, now).getTime()).toBe(now + 24 * h);
    expect(linkExpiry('not a date', 48, now).getTime()).toBe(now + 24 * h);
  });
});
