/**
 * The shapes of received and local media as components show them: only what a page needs of a
 * track (its consumer, the track, whether it is paused), never the session's own types. The
 * session's snapshot fits these shapes as it is, so hooks hand its parts over unchanged.
 */
import type { Role } from '@teleclass/shared';
import type { SessionError } from '../media/errors.js';

/** One received video (or audio) track: the consumer to size it by, and whether its producer is paused. */
export interface FeedTrack {
  consumerId: string;
  peerId: string;
  track: MediaStreamTrack;
  paused: boolean;
}

/** Someone who has the floor, with what is received of them. */
export interface StageFeedView {
  peerId: string;
  displayName: string;
  camera: FeedTrack | null;
  microphone: Pick<FeedTrack, 'paused'> | null;
}

/** What the stage shows: the trainer's camera and slides, and whoever has the floor (oneself left out). */
export interface StageTracks {
  camera: FeedTrack | null;
  screen: FeedTrack | null;
  stage: readonly StageFeedView[];
}

/** A camera or microphone to pick. */
export interface DeviceChoice {
  deviceId: string;
  label: string;
}

/** A note for the trainer that needs no answer (see `noticeText`). */
export interface NoticeView {
  kind: 'takenOver' | 'floorDeclined' | 'recordingGap';
  role: Role;
  displayName: string;
  at: number;
}

/** An error as the pages show it: its code, and the sentence's key and fallback (i18n/errors.ts words it). */
export type ErrorView = SessionError;

/** A classroom that dropped out of the live lecture and is not back. */
export interface DroppedSite {
  name: string;
  at: number;
}
