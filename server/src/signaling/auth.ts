import type { Server, Socket } from 'socket.io';
import { ERROR_CODES, type ErrorCode } from '@teleclass/shared';
import { TokenError, type TokenService } from '../auth/tokens.js';
import type { Store } from '../store/Store.js';

/** A refused handshake: socket.io hands `data` to the client's `connect_error`. */
function refusal(code: ErrorCode): Error & { data: { code: ErrorCode; message: string } } {
  return Object.assign(new Error(code), { data: { code, message: ERROR_CODES[code] } });
}

/**
 * Every socket needs a valid join token (`io({ auth: { token, lectureId? } })`): role and identity come from
 * it, never from a payload. Tokens of removed participants and of deleted lectures are refused.
 */
export function requireToken(io: Server, tokens: TokenService, store: Store): void {
  io.use((socket: Socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const token = auth['token'];
    // The page may say which lecture it is for; a token of another lecture is then refused.
    const lectureId = typeof auth['lectureId'] === 'string' ? auth['lectureId'] : undefined;
    if (typeof token !== 'string') return next(refusal('UNAUTHORIZED'));
    tokens.verify(token, lectureId).then(
      (claims) => {
        if (!store.getLecture(claims.lectureId)) return next(refusal('NOT_FOUND'));
        if (store.isRemoved(claims.lectureId, claims.identity)) return next(refusal('REMOVED'));
        socket.data.claims = claims;
        next();
      },
      (error: unknown) => next(refusal(error instanceof TokenError && error.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED')),
    );
  });
}
