/**
 * `window.teleclass`: the current session and its WebRTC stats, for browser tests and for
 * support staff in the devtools console (`await teleclass.stats()`).
 */
import type { LectureSession } from './LectureSession.js';

export interface TeleclassDiagnostics {
  session: LectureSession;
  /** The receiving transport's getStats(), as a plain array of stats objects. */
  stats: () => Promise<RTCStats[]>;
  /** The sending transport's getStats() (the studio, or a participant on stage), likewise. */
  sendStats: () => Promise<RTCStats[]>;
  /** Cuts the signaling connection as a network failure would; the session recovers by itself. */
  dropConnection: () => void;
  /** Restarts ICE on the receiving (or sending) transport now, as the watchdog would. */
  restartIce: (direction?: 'send' | 'recv') => void;
}

declare global {
  interface Window {
    teleclass?: TeleclassDiagnostics;
  }
}

/** Exposes `session`; returns a function that removes it again (if still the exposed one). */
export function exposeSession(session: LectureSession): () => void {
  if (typeof window === 'undefined') return () => {};
  const diagnostics: TeleclassDiagnostics = {
    session,
    stats: () => session.recvStats(),
    sendStats: () => session.sendStats(),
    dropConnection: () => session.dropConnection(),
    restartIce: (direction) => session.restartIce(direction),
  };
  window.teleclass = diagnostics;
  return () => {
    if (window.teleclass === diagnostics) delete window.teleclass;
  };
}
