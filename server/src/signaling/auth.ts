import type { Server, Socket } from 'socket.io';
import { ERROR_CODES, type ErrorCode } from '@teleclass/shared';
import { isCurrentKiosk, isCurrentLink, TokenError, type TokenService } from '../auth/tokens.js';
import type { Store } from '../store/Store.js';
import { joinTrace } from '../lecture/joinTrace.js';

/** A refused handshake: socket.io hands `data` to the client's `connect_error`. */
function refusal(code: ErrorCode): Error & { data: { code: ErrorCode; message: string } } {
  return Object.assign(new Error(code), { data: { code, message: ERROR_CODES[code] } });
}

/**
 * Every socket needs a valid join token (`io({ auth: { token, lectureId?, device? } })`): role and
 * identity come from it, never from a payload. Tokens of deleted lectures, of rotated links
 * (LINK_REVOKED) and of removed participants are refused; so is a browser whose device token
 * names a removed device. A browser without a valid device token gets a new one (handed out on join).
 */
export function requireToken(io: Server, tokens: TokenService, store: Store): void {
  io.use((socket: Socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const token = auth['token'];
    // The page may say which lecture it is for; a token of another lecture is then refused.
    const lectureId = typeof auth['lectureId'] === 'string' ? auth['lectureId'] : undefined;
    if (typeof token !== 'string') return next(refusal('UNAUTHORIZED'));
    const trace = joinTrace(socket.id);
    trace('handshake: token check', tokens.verify(token, lectureId)).then(
      async (claims) => {
        const deviceId = tokens.verifyDevice(auth['device']);
        // The store's reads side by side: the lecture, its link versions, the kiosk link's site, removed?
        const [lecture, versions, site, removed] = await trace('handshake: store reads', Promise.all([
          store.getLecture(claims.lectureId),
          store.linkVersions(claims.lectureId),
          claims.kiosk ? store.getSite(claims.kiosk.siteId) : Promise.resolve(undefined),
          store.isRemoved(claims.lectureId, claims.identity, deviceId),
        ]));
        if (!lecture) return next(refusal('NOT_FOUND'));
        if (!isCurrentLink(claims, versions)) return next(refusal('LINK_REVOKED'));
        // A join minted for a kiosk link dies with that link (rotated, or the site deleted).
        if (!isCurrentKiosk(claims, () => site?.kioskVersion)) return next(refusal('LINK_REVOKED'));
        if (removed) return next(refusal('REMOVED'));
        socket.data.claims = claims;
        if (deviceId) socket.data.deviceId = deviceId;
        else socket.data.newDeviceToken = tokens.newDevice();
        next();
      },
      (error: unknown) => next(refusal(error instanceof TokenError && error.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED')),
    ).catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  });
}
