/**
 * One lecture session for a page's subtree: the provider joins while `config` is set (see
 * useLectureSession) and the hooks below it read the session's snapshot and actions. Components
 * never receive the session object; they call useLectureState(), useLectureActions(), useFloor()…
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import { useLectureSession, type SessionConfig } from './useLectureSession.js';

const SessionContext = createContext<LectureSession | null>(null);

export function LectureSessionProvider({ config, children }: { config: SessionConfig | null; children: ReactNode }) {
  const session = useLectureSession(config);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The provider's session (null before it exists or outside a provider): for the hooks in this folder only. */
export function useSessionHandle(): LectureSession | null {
  return useContext(SessionContext);
}
