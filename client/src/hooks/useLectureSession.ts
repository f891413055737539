import { useEffect, useRef, useState } from 'react';
import type { Role } from '@teleclass/shared';
import { exposeSession } from '../media/diagnostics.js';
import { LectureSession } from '../media/LectureSession.js';

export interface SessionConfig {
  lectureId: string;
  role: Role;
  /** The join token to connect with. */
  token: string;
  /** The name an attendee typed for the shared link (trainer and site: none). */
  displayName?: string;
  /** Hears the personal token an attendee gets on join. */
  onToken?: (token: string) => void;
}

/**
 * A session that joins while `config` is set and leaves when it changes, becomes null or the
 * component unmounts. The trainer's preview starts at once. Returns null until it exists.
 */
export function useLectureSession(config: SessionConfig | null): LectureSession | null {
  const [session, setSession] = useState<LectureSession | null>(null);
  const onToken = useRef(config?.onToken);
  onToken.current = config?.onToken;
  const lectureId = config?.lectureId;
  const role = config?.role;
  const token = config?.token;
  const displayName = config?.displayName;

  useEffect(() => {
    if (lectureId === undefined || role === undefined || token === undefined) return;
    const created = new LectureSession({ lectureId, role, token, onToken: (t) => onToken.current?.(t) });
    const unexpose = exposeSession(created);
    setSession(created);
    void created.join(displayName);
    if (role === 'trainer') void created.startPreview();
    return () => {
      unexpose();
      void created.leave();
      setSession((current) => (current === created ? null : current));
    };
  }, [lectureId, role, token, displayName]);

  return session;
}
