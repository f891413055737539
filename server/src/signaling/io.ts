import type { Server as HttpsServer } from 'node:https';
import { Server } from 'socket.io';
import { isMethod, METHODS, type Ack } from '@teleclass/shared';
import type { JoinClaims, TokenService } from '../auth/tokens.js';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import { RateLimiter } from '../lecture/RateLimiter.js';
import type { Logger } from '../logger.js';
import type { RecordingManager } from '../recording/RecordingManager.js';
import type { Store } from '../store/Store.js';
import { requireToken } from './auth.js';
import { lobbyRoomName, roomName, type Notifier, type Session, type SignalingDeps } from './context.js';
import { handle } from './handle.js';
import { handlers } from './handlers/index.js';
import { leaveLecture } from './handlers/session.js';
import { wireRoom } from './wiring.js';

/** Largest socket.io message accepted (RTP parameters are a few KB). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Requests one socket may make: a burst (a viewer subscribing to a stage) then a steady rate. */
export const REQUEST_BURST = 200;
export const REQUESTS_PER_SECOND = 50;

type Ackish = (answer: Ack<unknown>) => void;

export interface SignalingOptions {
  registry: LectureRegistry;
  store: Store;
  tokens: TokenService;
  logger: Logger;
  linkValidityHours: number;
  recordings: RecordingManager;
}

/** socket.io on the HTTPS server: a token per socket, one Session each, requests through `handle`. */
export function attachSignaling(httpsServer: HttpsServer, options: SignalingOptions): Server {
  const io = new Server(httpsServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: 10_000,
    pingTimeout: 8_000,
  });
  const sessions = new Map<string, Session>();
  const notify: Notifier = {
    lecture(lectureId, name, data, exceptPeer) {
      const except = exceptPeer ? sessions.get(exceptPeer)?.socket.id : undefined;
      // The lecture's state also reaches those waiting in its lobby (e.g. that it ended).
      const target = name === 'lectureState' ? io.to([roomName(lectureId), lobbyRoomName(lectureId)]) : io.to(roomName(lectureId));
      (except ? target.except(except) : target).emit(name, data);
    },
    peer(peerId, name, data) {
      sessions.get(peerId)?.socket.emit(name, data);
    },
  };
  const deps: SignalingDeps = {
    ...options,
    sessions,
    notify,
    chatLimiter: new RateLimiter(5, 0.5),
  };
  const requestLimiter = new RateLimiter(REQUEST_BURST, REQUESTS_PER_SECOND);
  const tooFast: Ack<unknown> = { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many requests; slow down.' } };
  options.registry.on('roomcreated', (room) => wireRoom(room, notify));
  options.registry.on('roomdeleted', (room) => {
    for (const session of new Set(sessions.values())) {
      if (session.room !== room) continue;
      session.socket.emit('removed', { reason: 'The lecture was deleted.' });
      leaveLecture(session, deps, 'lecture-deleted');
      session.socket.disconnect(true);
    }
  });
  requireToken(io, options.tokens, options.store);

  io.on('connection', (socket) => {
    const session: Session = { socket, claims: socket.data.claims as JoinClaims };
    const log = options.logger.child({ socketId: socket.id, lectureId: session.claims.lectureId });
    log.debug({ address: socket.handshake.address, identity: session.claims.identity }, 'socket connected');

    for (const method of METHODS) {
      socket.on(method, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return; // every request must carry an ack
        if (!requestLimiter.take(socket.id)) return (ack as Ackish)(tooFast);
        void handle(method, payload, ack as Ackish, session, handlers, deps);
      });
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (isMethod(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function' && !requestLimiter.take(socket.id)) return (ack as Ackish)(tooFast);
      if (typeof ack === 'function') {
        (ack as Ackish)({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown request "${event.slice(0, 64)}".` } });
      }
    });
    socket.on('disconnect', (reason) => {
      log.debug({ reason, peerId: session.participant?.id }, 'socket disconnected');
      requestLimiter.forget(socket.id);
      leaveLecture(session, deps, 'disconnected');
    });
  });
  return io;
}
