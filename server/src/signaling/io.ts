import type { Server as HttpsServer } from 'node:https';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { ERROR_CODES, isMethod, METHODS, type Ack } from '@teleclass/shared';
import { isCurrentKiosk, isCurrentLink, type JoinClaims, type TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { SECURITY_HEADERS } from '../http/securityHeaders.js';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import { RateLimiter } from '../lecture/RateLimiter.js';
import type { Logger } from '../logger.js';
import type { RecordingManager } from '../recording/RecordingManager.js';
import type { Store } from '../store/Store.js';
import type { SiteBoard } from '../sites/SiteBoard.js';
import { SiteHealthMonitor } from '../sites/SiteHealthMonitor.js';
import { holdForResume, leaveLecture, socketAttachment } from './attachment.js';
import { PREPARED_RECV_MS, PreparedRecvs } from '../lecture/preparedRecv.js';
import { SessionResumes } from '../lecture/resume.js';
import { requireToken } from './auth.js';
import { lobbyRoomName, roomName, type Notifier, type RoomForwarding, type Session, type SignalingDeps } from './context.js';
import { handle } from './handle.js';
import { handlers } from './handlers/index.js';
import { wireRoom } from './wiring.js';
import type { IngestService } from '../ingest/IngestService.js';

/** Largest socket.io message accepted (RTP parameters are a few KB). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Requests one socket may make: a burst (a viewer subscribing to a stage) then a steady rate. */
export const REQUEST_BURST = 200;
export const REQUESTS_PER_SECOND = 50;
/** Chat: a person may post a burst of 5, then one message every 2 s. */
const CHAT_PER_IDENTITY = { burst: 5, perSecond: 0.5 };

type Ackish = (answer: Ack<unknown>) => void;

/** The signaling layer's caps (README: Reliability and limits). */
export interface SignalingLimits {
  socketsPerAddress: number;
  chatPerMinutePerAddress: number;
  chatPerMinutePerLecture: number;
  maxChatMessages: number;
  /** One quality report per this many seconds per participant (QUALITY_REPORT_SECONDS). */
  qualityReportSeconds: number;
  /** SITE_MISSING_ALERT_SECONDS, in ms. */
  siteMissingAfterMs: number;
  /** socket.io's heartbeat (SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS): a silent loss is known within their sum. */
  ping?: { intervalMs: number; timeoutMs: number };
  /** SESSION_RESUME_GRACE_SECONDS, in ms: how long a participant whose socket dropped is held for a resume (0: none). */
  resumeGraceMs?: number;
  /** PREPARED_RECV_SECONDS, in ms: how long a receiving transport opened before the join waits for it. */
  preparedRecvMs?: number;
}

export function signalingLimits(config: Config): SignalingLimits {
  return {
    socketsPerAddress: config.MAX_SOCKETS_PER_IP,
    chatPerMinutePerAddress: config.CHAT_PER_MINUTE_PER_IP,
    chatPerMinutePerLecture: config.CHAT_PER_MINUTE_PER_LECTURE,
    maxChatMessages: config.MAX_CHAT_MESSAGES,
    qualityReportSeconds: config.QUALITY_REPORT_SECONDS,
    siteMissingAfterMs: config.SITE_MISSING_ALERT_SECONDS * 1000,
    ping: { intervalMs: config.SOCKET_PING_INTERVAL_MS, timeoutMs: config.SOCKET_PING_TIMEOUT_MS },
    resumeGraceMs: config.SESSION_RESUME_GRACE_SECONDS * 1000,
    preparedRecvMs: config.PREPARED_RECV_SECONDS * 1000,
  };
}

export interface SignalingOptions {
  registry: LectureRegistry;
  store: Store;
  tokens: TokenService;
  logger: Logger;
  linkValidityHours: number;
  viewLinkHours: number;
  recordings: RecordingManager;
  limits: SignalingLimits;
  sites: SiteBoard;
  /** Hears every request (/metrics). */
  observe?: (method: string, outcome: string, seconds: number) => void;
  /** Studio feeds: the trainer's `studioFeed` and `setProgram`, and the `studioFeed` pushes. */
  ingest?: IngestService;
  publicUrl?: string | undefined;
  /** Cluster mode: the Redis adapter and origins (ioOptions), placement and node lists (attach). */
  cluster?: { ioOptions(): Partial<ServerOptions>; attach(io: Server): void } | undefined;
  /** Cluster mode: the room's use-cases forwarded to the lecture's origin (cluster/roomLink.ts). */
  rooms?: RoomForwarding | undefined;
}

/** A limiter allowing `perMinute` a minute, in bursts of up to a sixth of that (at least 5). */
const perMinute = (n: number) => new RateLimiter(Math.max(5, Math.ceil(n / 6)), n / 60);

/** socket.io on the HTTPS server: a token per socket, one Session each, requests through `handle`. */
export function attachSignaling(httpsServer: HttpsServer, options: SignalingOptions): Server {
  const { limits } = options;
  const io = new Server(httpsServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: limits.ping?.intervalMs ?? 2_500,
    pingTimeout: limits.ping?.timeoutMs ?? 2_500,
    ...options.cluster?.ioOptions(),
  });
  // socket.io answers its own HTTP requests (the handshake, polling, refusals) before express
  // sees them: the same security headers go on every answer of the server, first of all.
  httpsServer.prependListener('request', (_req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
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
    here(lectureId, name, data, exceptPeer) {
      const except = exceptPeer ? sessions.get(exceptPeer)?.socket.id : undefined;
      const rooms = name === 'lectureState' ? [roomName(lectureId), lobbyRoomName(lectureId)] : roomName(lectureId);
      const target = io.local.to(rooms);
      (except ? target.except(except) : target).emit(name, data);
    },
  };
  const resumes = new SessionResumes({ graceMs: limits.resumeGraceMs ?? 0, released: (room) => options.registry.releaseIfEmpty(room.id) });
  httpsServer.once('close', () => resumes.close());
  // Receiving transports opened before a join keep their room open, and go with it.
  const prepared = new PreparedRecvs((lectureId) => options.registry.releaseIfEmpty(lectureId));
  options.registry.holdOpen((lectureId) => prepared.count(lectureId) > 0);
  options.registry.on('roomclosed', (room) => prepared.releaseRoom(room));
  const deps: SignalingDeps = {
    ...options,
    sessions,
    notify,
    resumes,
    prepared,
    preparedRecvMs: limits.preparedRecvMs ?? PREPARED_RECV_MS,
    chat: {
      perIdentity: new RateLimiter(CHAT_PER_IDENTITY.burst, CHAT_PER_IDENTITY.perSecond),
      perAddress: perMinute(limits.chatPerMinutePerAddress),
      perLecture: perMinute(limits.chatPerMinutePerLecture),
      maxMessages: limits.maxChatMessages,
    },
    // A burst of 2, then one report per QUALITY_REPORT_SECONDS (a little slack for timer jitter).
    siteHealth: { board: options.sites, limiter: new RateLimiter(2, 1 / Math.max(0.5, limits.qualityReportSeconds * 0.8)) },
  };
  const monitor = new SiteHealthMonitor(options.registry, options.store, options.sites, { missingAfterMs: limits.siteMissingAfterMs }, (peerId, sites) =>
    notify.peer(peerId, 'sitesHealth', { sites }),
  );
  httpsServer.once('close', () => monitor.close());
  const requestLimiter = new RateLimiter(REQUEST_BURST, REQUESTS_PER_SECOND);
  const tooFast: Ack<unknown> = { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many requests; slow down.' } };
  const letGo = (session: Session, reason: string) => {
    leaveLecture(session, deps, reason);
    session.socket.disconnect(true);
  };
  options.registry.serve({ notify, chat: deps.chat });
  options.registry.on('roomcreated', (room) => wireRoom(room, notify));
  options.ingest?.on('changed', (lectureId, state) => notify.lecture(lectureId, 'studioFeed', state));
  options.registry.on('roomdeleted', (room) => {
    for (const session of new Set(sessions.values())) {
      if (session.room !== room) continue;
      session.socket.emit('removed', { kind: 'deleted', reason: 'The lecture was deleted.' });
      letGo(session, 'lecture-deleted');
    }
  });
  // Rotated links stop working at once: whoever is connected with one (joined, waiting, or not
  // yet joined) is told and let go; connecting again is refused with LINK_REVOKED.
  options.registry.on('linksrotated', (lectureId) => void revokeRotated(lectureId));
  /** After the store's reads, whoever is connected then (joined, waiting, or not yet joined) is checked. */
  const revokeRotated = async (lectureId: string) => {
    try {
      const versions = await options.store.linkVersions(lectureId);
      const kioskVersions = new Map((await options.store.listSites()).map((s) => [s.id, s.kioskVersion]));
      for (const socket of io.of('/').sockets.values()) {
        const session = socket.data.session as Session | undefined;
        if (!session || session.claims.lectureId !== lectureId) continue;
        if (isCurrentLink(session.claims, versions) && isCurrentKiosk(session.claims, (id) => kioskVersions.get(id))) continue;
        socket.emit('linkRevoked', {});
        letGo(session, 'link-revoked');
      }
    } catch (error) {
      options.logger.error({ err: error, lectureId }, 'could not check the connections of rotated links');
    }
  };
  requireToken(io, options.tokens, options.store);
  limitPerAddress(io, limits.socketsPerAddress);
  options.cluster?.attach(io); // before our own handler: a socket sent elsewhere never gets to join here

  io.on('connection', (socket) => {
    const newDeviceToken = (socket.data.newDeviceToken as string | undefined) ?? null;
    const session = {
      socket,
      claims: socket.data.claims as JoinClaims,
      deviceId: (socket.data.deviceId as string | undefined) ?? options.tokens.verifyDevice(newDeviceToken) ?? '',
      newDeviceToken,
      address: socket.handshake.address,
      joining: false,
      closed: false,
    } as Session; // `via` is the session's own view, made next
    session.via = socketAttachment(session, deps);
    socket.data.session = session;
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
      session.closed = true;
      session.prepared?.release(); // not taken over by a join: it goes with its connection
      requestLimiter.forget(socket.id);
      // A socket closed on purpose (the client's disconnect(), or the server letting it go) leaves
      // at once; one lost to the network (transport error or close, ping timeout) is held for a
      // resume within the grace period (lecture/resume.ts).
      if (reason === 'client namespace disconnect' || reason === 'server namespace disconnect') leaveLecture(session, deps, 'disconnected');
      else holdForResume(session, deps);
    });
  });
  return io;
}

/**
 * At most `max` connections from one address at once (a regional centre's PCs share one NAT
 * address, so the default is generous). Runs after the token check, counts synchronously.
 */
function limitPerAddress(io: Server, max: number): void {
  const open = new Map<string, number>();
  io.use((socket: Socket, next) => {
    const address = socket.handshake.address;
    const count = open.get(address) ?? 0;
    if (count >= max) {
      const error = Object.assign(new Error('LIMIT'), {
        data: { code: 'LIMIT', message: `${ERROR_CODES.LIMIT} Too many connections from your address.` },
      });
      return next(error);
    }
    open.set(address, count + 1);
    socket.once('disconnect', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
    next();
  });
}
