/**
 * The snapshot a LectureSession exposes, and the pure functions that derive parts of it. Nothing
 * here talks to the network or the media stack, so all of it is unit-tested in node.
 */
import type {
  IngestCredentials,
  StudioFeedState,
  ChatMessageView,
  HandView,
  LectureView,
  LobbyView,
  RemovalView,
  MediaKind,
  MediaSource,
  PeerView,
  ReceivePriority,
  Role,
  SiteHealth,
  StageView,
} from '@teleclass/shared';
import type { ConnectionStatus } from '../signaling/SignalingClient.js';
import type { SessionError } from './errors.js';

/**
 * Where the session is in its life: idle → joining → (lobby →) joined → left, or failed on the
 * way (a refused link, removed by the trainer, opened elsewhere…).
 */
export type SessionPhase = 'idle' | 'joining' | 'lobby' | 'joined' | 'left' | 'failed';

/** This participant as the server knows it (its identity is stable across reconnects). */
export type SelfView = PeerView & { identity: string };

/** A WebRTC transport's connection state as mediasoup-client reports it (null: none yet). */
export type TransportState = 'new' | 'connecting' | 'connected' | 'failed' | 'disconnected' | 'closed' | null;

/** One received track: a consumer of someone's producer. */
export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  track: MediaStreamTrack;
  /** The producer is paused (e.g. the trainer muted the microphone). */
  paused: boolean;
}

/** Someone else who has the floor, with what is received of them. */
export interface StageFeed {
  peerId: string;
  displayName: string;
  role: Role;
  site: string | null;
  camera: RemoteMedia | null;
  microphone: RemoteMedia | null;
}

/**
 * What is received, by whom: the trainer's camera and slides, the people on stage (in stage order,
 * oneself left out), and every audio track to play (the trainer's and the stage's).
 */
export interface RemoteTracks {
  camera: RemoteMedia | null;
  screen: RemoteMedia | null;
  audio: RemoteMedia[];
  stage: StageFeed[];
}

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface LocalMediaState {
  /** Own camera + microphone, for the preview or the self view on stage (play it muted). */
  preview: MediaStream | null;
  /** The screen being shared, for a local thumbnail. */
  screen: MediaStream | null;
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  cameraId: string | null;
  microphoneId: string | null;
}

export interface SessionState {
  lectureId: string;
  role: Role;
  phase: SessionPhase;
  connection: ConnectionStatus;
  transports: { send: TransportState; recv: TransportState };
  self: SelfView | null;
  lecture: LectureView | null;
  /** Everyone else in the lecture. */
  peers: PeerView[];
  /** Raised hands, oldest first. */
  hands: HandView[];
  /** Who has the floor (may include oneself: then camera and microphone are sent). */
  stage: StageView[];
  /** Attendees waiting to be admitted (the trainer's view; empty for everyone else). */
  lobby: LobbyView[];
  /** People the trainer removed (the trainer's view, to let someone back in; empty for everyone else). */
  removed: RemovalView[];
  /**
   * Things the trainer should know that need no answer, newest last (e.g. a classroom's link was
   * opened on a second PC and took over).
   */
  notices: SessionNotice[];
  /** Attendees invited to speak, not yet answered (finding oneself here: Accept / Decline). */
  invited: StageView[];
  /** Producers whose media stopped reaching the server (their sender dropped). */
  stalledProducers: string[];
  /** Media we should receive has not arrived for a few seconds (our own link stalls). */
  mediaStalled: boolean;
  /** The trainer's view: classrooms whose connection dropped and that are not back yet. */
  droppedSites: { name: string; at: number }[];
  /** The trainer's view: each invited classroom's state, quality and alert (the Sites panel). */
  sitesHealth: SiteHealth[];
  /** What this viewer's weak link holds back (the server's `receivePriority`), and whether it chose "audio and slides only". */
  weakLink: ReceivePriority;
  /** After the end: a viewing link to the lecture's recording (null: none, or not asked yet). */
  recordingUrl: string | null;
  /** Chat and questions, oldest first. */
  chat: ChatMessageView[];
  /** The trainer's view: the studio feed and what is on air (null until asked). */
  studioFeed: StudioFeedState | null;
  /** The trainer's view: where encoders send the studio feed. */
  ingest: IngestCredentials | null;
  remote: RemoteTracks;
  local: LocalMediaState;
  /** Camera and microphone are being sent (the trainer on air, or a participant on stage). */
  publishing: boolean;
  micMuted: boolean;
  /** The microphone was paused by the trainer (cleared when it is unmuted). */
  mutedByTrainer: boolean;
  sharing: boolean;
  /** A request the user started (go live, end, share…) is under way. */
  busy: boolean;
  activeSpeakerId: string | null;
  /** The last error worth showing, with a sentence for people. */
  error: SessionError | null;
  /**
   * The connection or the media was lost and is being brought back by itself (no click needed):
   * true from the loss until media flows again.
   */
  reconnecting: boolean;
}

/** A note for the trainer; `at` tells notices apart. */
export interface SessionNotice {
  /**
   * takenOver: the identity was opened in another window; floorDeclined: an attendee said no;
   * recordingGap: the connection was lost and the same recording goes on after it (with a gap).
   */
  kind: 'takenOver' | 'floorDeclined' | 'recordingGap';
  role: Role;
  displayName: string;
  at: number;
}

/** Keeps the last few notices. */
export const addNotice = (notices: readonly SessionNotice[], notice: SessionNotice): SessionNotice[] => [...notices.slice(-4), notice];

/** The trainer's list of dropped classrooms after `peer` left (a site) or came back. */
export function trackSites(dropped: SessionState['droppedSites'], peer: PeerView, event: 'left' | 'joined', at = Date.now()): SessionState['droppedSites'] {
  if (peer.role !== 'site') return [...dropped];
  const name = peer.site ?? peer.displayName;
  const others = dropped.filter((d) => d.name !== name);
  return event === 'left' ? [...others, { name, at }] : others;
}

/** Applies a lobby delta from the server: who stopped waiting, then who started. */
export function applyLobbyDelta(lobby: readonly LobbyView[], delta: { added: LobbyView[]; removed: string[] }): LobbyView[] {
  const gone = new Set(delta.removed);
  const kept = lobby.filter((w) => !gone.has(w.peerId));
  const known = new Set(kept.map((w) => w.peerId));
  return [...kept, ...delta.added.filter((w) => !known.has(w.peerId))];
}

export const NO_REMOTE: RemoteTracks = { camera: null, screen: null, audio: [], stage: [] };

export function initialState(lectureId: string, role: Role): SessionState {
  return {
    lectureId,
    role,
    phase: 'idle',
    connection: 'connecting',
    transports: { send: null, recv: null },
    self: null,
    lecture: null,
    peers: [],
    hands: [],
    stage: [],
    lobby: [],
    removed: [],
    notices: [],
    invited: [],
    stalledProducers: [],
    mediaStalled: false,
    droppedSites: [],
    sitesHealth: [],
    weakLink: { step: 'full', manual: false },
    recordingUrl: null,
    chat: [],
    studioFeed: null,
    ingest: null,
    remote: NO_REMOTE,
    local: { preview: null, screen: null, cameras: [], microphones: [], cameraId: null, microphoneId: null },
    publishing: false,
    micMuted: false,
    mutedByTrainer: false,
    sharing: false,
    busy: false,
    activeSpeakerId: null,
    error: null,
    reconnecting: false,
  };
}

/** Adds a peer or replaces the one with its id; the list stays in join order. */
export function upsertPeer(peers: readonly PeerView[], peer: PeerView): PeerView[] {
  const index = peers.findIndex((p) => p.id === peer.id);
  if (index === -1) return [...peers, peer];
  return peers.map((p, i) => (i === index ? peer : p));
}

export function removePeer(peers: readonly PeerView[], peerId: string): PeerView[] {
  return peers.filter((p) => p.id !== peerId);
}
