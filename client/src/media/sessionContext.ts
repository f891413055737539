/** What the parts of a LectureSession (the studio's broadcast, the floor sender) get from it. */
import type { Device } from 'mediasoup-client';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { SessionState, TransportState } from './sessionState.js';
import type { Store } from './Store.js';

export interface SessionContext {
  readonly store: Store<SessionState>;
  /** A background step failed: logged, and shown unless the session is closing. */
  report(error: unknown, what: string): void;
  /** Runs a user action with `busy` set; its failure becomes `state.error`. */
  busy(action: () => Promise<void>): Promise<void>;
}

/** The connection a part sends over, from the join answer until the connection is lost. */
export interface MediaLink {
  signaling: SignalingClient;
  device: Device;
}

/** Writes a transport's connection state into the snapshot. */
export function transportStateWriter(store: Store<SessionState>, direction: 'send' | 'recv') {
  return (state: TransportState) => store.update((s) => ({ transports: { ...s.transports, [direction]: state } }));
}
