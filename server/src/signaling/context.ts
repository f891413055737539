import type { Socket } from 'socket.io';
import type { Method, ParsedRequestOf, ResponseOf } from '@teleclass/shared';
import type { JoinClaims, TokenService } from '../auth/tokens.js';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Participant } from '../lecture/Participant.js';
import type { Attachment, Notifier } from '../lecture/ports.js';
import type { RateLimiter } from '../lecture/RateLimiter.js';
import type { ChatLimits } from '../lecture/RoomChat.js';
import type { Logger } from '../logger.js';
import type { SessionResumes } from '../lecture/resume.js';
import type { RecordingManager } from '../recording/RecordingManager.js';
import type { IngestService } from '../ingest/IngestService.js';
import type { Store } from '../store/Store.js';
import type { RoomOp } from '../cluster/roomProtocol.js';
import type { SiteBoard } from '../sites/SiteBoard.js';
import type { PreparedRecv, PreparedRecvs } from '../lecture/preparedRecv.js';

/** What the signaling layer knows of one socket. */
export interface Session {
  readonly socket: Socket;
  /** From the token the socket connected with; identity may become personal on join. */
  claims: JoinClaims;
  room?: LectureRoom | undefined;
  participant?: Participant | undefined;
  /** Set while the person waits in the lobby of a locked lecture. */
  lobbyId?: string | undefined;
  /** This browser's id, from the device token it connected with (or the one made for it). */
  deviceId: string;
  /** A device token made for this connection (it sent none, or a bad one), handed out on join. */
  newDeviceToken: string | null;
  /** The connection's remote address (sockets and chat are also limited per address). */
  address: string;
  /** A join (or a resume) is under way: a second one is refused, so a session never races or replaces itself. */
  joining: boolean;
  /** The socket is gone: whatever a request still awaits must not take effect. */
  closed: boolean;
  /** This socket as the room sees it (signaling/attachment.ts). */
  via: Attachment;
  /** The receiving transport opened before joining (`prepareRecv`), until a join takes it over or it goes. */
  prepared?: PreparedRecv | undefined;
}

export interface JoinedSession extends Session {
  room: LectureRoom;
  participant: Participant;
}

export type { ChatLimits } from '../lecture/RoomChat.js';
export type { Notifier } from '../lecture/ports.js';

export interface SignalingDeps {
  registry: LectureRegistry;
  store: Store;
  tokens: TokenService;
  logger: Logger;
  /** Link validity after the scheduled start, for the personal tokens issued on join. */
  linkValidityHours: number;
  /** How long a recording's viewing link handed to participants works (VIEW_LINK_HOURS). */
  viewLinkHours: number;
  /** peerId (or lobby id) → its session. */
  sessions: Map<string, Session>;
  notify: Notifier;
  /** Participants held for a resume after their socket dropped, and their resume tokens. */
  resumes: SessionResumes;
  chat: ChatLimits;
  recordings: RecordingManager;
  siteHealth: SiteHealthDeps;
  /** Hears every request's method, outcome ('ok' or the error code) and duration (/metrics). */
  observe?: (method: string, outcome: string, seconds: number) => void;
  ingest?: IngestService;
  /** PUBLIC_URL, for the ingest URLs the studio shows. */
  publicUrl?: string | undefined;
  /** Cluster mode: the room's use-cases run on the lecture's origin (undefined: here, as on one server). */
  rooms?: RoomForwarding | undefined;
  /** The connections' receiving transports opened before joining, per lecture (lecture/preparedRecv.ts). */
  prepared: PreparedRecvs;
  /** How long such a transport waits for its join (PREPARED_RECV_SECONDS). */
  preparedRecvMs: number;
}

/**
 * Cluster mode: where a room's use-case runs. `forward` answers undefined when it runs here (the
 * handler then calls the room), else the answer of the node that ran it (cluster/roomLink.ts).
 */
export interface RoomForwarding {
  forward(room: LectureRoom, op: RoomOp): Promise<unknown> | undefined;
}

/** The classrooms' quality reports: kept on the site board, one per QUALITY_REPORT_SECONDS per participant. */
export interface SiteHealthDeps {
  board: SiteBoard;
  limiter: RateLimiter;
  ingest?: IngestService;
  /** PUBLIC_URL, for the ingest URLs the studio shows. */
  publicUrl?: string | undefined;
}


/** A joined session as the room's use-cases see the caller. */
export const actor = (session: JoinedSession) => ({ participant: session.participant, via: session.via });

export type Handler<M extends Method> = (
  session: M extends 'join' | 'resume' | 'routerCapabilities' | 'prepareRecv' ? Session : JoinedSession,
  req: ParsedRequestOf<M>,
  deps: SignalingDeps,
) => Promise<ResponseOf<M>>;

export type Handlers = { [M in Method]: Handler<M> };

export const roomName = (lectureId: string) => `lecture:${lectureId}`;
export const lobbyRoomName = (lectureId: string) => `lobby:${lectureId}`;
