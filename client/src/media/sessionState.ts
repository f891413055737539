/**
 * The snapshot a LectureSession exposes, and the pure functions that derive parts of it. Nothing
 * here talks to the network or the media stack, so all of it is unit-tested in node.
 */
import type { LectureView, MediaKind, MediaSource, PeerView, Role } from '@teleclass/shared';
import type { ConnectionStatus } from '../signaling/SignalingClient.js';
import type { SessionError } from './errors.js';

/** Where the session is in its life: idle → joining → joined → left, or failed on the way. */
export type SessionPhase = 'idle' | 'joining' | 'joined' | 'left' | 'failed';

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

/** What a viewer shows: the trainer's camera, the shared screen, every audio track. */
export interface RemoteTracks {
  camera: RemoteMedia | null;
  screen: RemoteMedia | null;
  audio: RemoteMedia[];
}

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface LocalMediaState {
  /** The trainer's camera + microphone, for the preview (play it muted). */
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
  self: PeerView | null;
  lecture: LectureView | null;
  /** Everyone else in the lecture. */
  peers: PeerView[];
  remote: RemoteTracks;
  local: LocalMediaState;
  /** The trainer is sending camera and microphone. */
  publishing: boolean;
  micMuted: boolean;
  sharing: boolean;
  /** A request the user started (go live, end, share…) is under way. */
  busy: boolean;
  activeSpeakerId: string | null;
  /** The last error worth showing, with a sentence for people. */
  error: SessionError | null;
}

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
    remote: { camera: null, screen: null, audio: [] },
    local: { preview: null, screen: null, cameras: [], microphones: [], cameraId: null, microphoneId: null },
    publishing: false,
    micMuted: false,
    sharing: false,
    busy: false,
    activeSpeakerId: null,
    error: null,
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

export interface ParticipantCounts {
  trainers: number;
  sites: number;
  attendees: number;
}

/** Counts by role, from the participant list (the list is kept by join/leave events). */
export function countByRole(peers: readonly PeerView[]): ParticipantCounts {
  const counts: ParticipantCounts = { trainers: 0, sites: 0, attendees: 0 };
  for (const peer of peers) {
    if (peer.role === 'trainer') counts.trainers++;
    else if (peer.role === 'site') counts.sites++;
    else counts.attendees++;
  }
  return counts;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 sites · 3 attendees". */
export function formatCounts(counts: Pick<ParticipantCounts, 'sites' | 'attendees'>): string {
  return `${plural(counts.sites, 'site', 'sites')} · ${plural(counts.attendees, 'attendee', 'attendees')}`;
}

/**
 * The tracks to show, from every live consumer: the newest camera video, the newest screen video
 * and all audio (the newest wins if a trainer reconnected and briefly has two producers).
 */
export function remoteBySource(media: readonly RemoteMedia[]): RemoteTracks {
  let camera: RemoteMedia | null = null;
  let screen: RemoteMedia | null = null;
  const audio: RemoteMedia[] = [];
  for (const m of media) {
    if (m.kind === 'audio') audio.push(m);
    else if (m.source === 'screen') screen = m;
    else camera = m;
  }
  return { camera, screen, audio };
}
