import { useEffect, useRef } from 'react';
import { useLectureActions, useLectureState } from './useLecture.js';

/**
 * Tells the lecture when this page's sound is blocked (the "Enable sound" overlay is up) and when
 * it plays again, so the studio can say "sound blocked" on this classroom. The server starts every
 * participant at "not blocked" (a rejoin too, with a new peer id): only a difference is sent.
 */
export function useReportPlayback(soundBlocked: boolean): void {
  const state = useLectureState();
  const { reportPlayback } = useLectureActions();
  const joinedAs = state?.phase === 'joined' && state.connection === 'connected' ? (state.self?.id ?? null) : null;
  const told = useRef<{ peerId: string; soundBlocked: boolean } | null>(null);
  useEffect(() => {
    if (!joinedAs) return;
    const known = told.current?.peerId === joinedAs ? told.current.soundBlocked : false;
    if (known === soundBlocked) return;
    told.current = { peerId: joinedAs, soundBlocked };
    void reportPlayback(soundBlocked);
  }, [reportPlayback, joinedAs, soundBlocked]);
}
