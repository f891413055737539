import { useEffect, useState } from 'react';
import type { Role } from '@teleclass/shared';
import { exposeSession } from '../media/diagnostics.js';
import { LectureSession } from '../media/LectureSession.js';

export interface SessionConfig {
  lectureId: string;
  role: Role;
  displayName: string;
}

/**
 * A session that joins while `config` is set and leaves when it changes, becomes null or the
 * component unmounts. The trainer's preview starts at once. Returns null until it exists.
 */
export function useLectureSession(config: SessionConfig | null): LectureSession | null {
  const [session, setSession] = useState<LectureSession | null>(null);
  const lectureId = config?.lectureId;
  const role = config?.role;
  const displayName = config?.displayName;

  useEffect(() => {
    if (lectureId === undefined || role === undefined || displayName === undefined) return;
    const created = new LectureSession({ lectureId, role });
    const unexpose = exposeSession(created);
    setSession(created);
    void created.join(displayName);
    if (role === 'trainer') void created.startPreview();
    return () => {
      unexpose();
      void created.leave();
      setSession((current) => (current === created ? null : current));
    };
  }, [lectureId, role, displayName]);

  return session;
}
