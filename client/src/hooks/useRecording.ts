import { useEffect, useState } from 'react';
import { recordingDetailSchema, recordingIdSchema, type RecordingDetail } from '@teleclass/shared';
import { AdminApiError, apiError, parseAnswer } from '../admin/adminApi.js';
import { readAdminToken } from '../admin/adminToken.js';
import { playbackProblem, viewTokenOf, type PlaybackProblem } from '../view/recordings.js';

/** A recording not ready yet is asked for again this often. */
const RETRY_MS = 5000;

export type RecordingPage =
  | { kind: 'loading' }
  | { kind: 'problem'; problem: PlaybackProblem; retrying: boolean }
  | { kind: 'waiting'; recording: RecordingDetail['recording'] }
  | { kind: 'ready'; recording: RecordingDetail['recording']; token: string };

/**
 * One recording for the playback page: with the viewing link's `?token=`, or (an organiser
 * opening it from the admin page without one) the kept admin token, which yields a viewing token.
 */
export function useRecording(id: string | undefined, viewToken: string | null): RecordingPage {
  const [page, setPage] = useState<RecordingPage>({ kind: 'loading' });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const adminToken = viewToken ? null : readAdminToken();
    const retry = () => {
      timer = setTimeout(() => void load(), RETRY_MS);
    };
    const load = async () => {
      if (!id || !recordingIdSchema.safeParse(id).success) {
        setPage({ kind: 'problem', problem: playbackProblem(404, 'NOT_FOUND'), retrying: false });
        return;
      }
      if (!viewToken && !adminToken) {
        setPage({ kind: 'problem', problem: playbackProblem(401, 'UNAUTHORIZED'), retrying: false });
        return;
      }
      let response: Response;
      try {
        const query = viewToken ? `?token=${encodeURIComponent(viewToken)}` : '';
        response = await fetch(`/api/recordings/${encodeURIComponent(id)}${query}`, {
          headers: adminToken ? { authorization: `Bearer ${adminToken}` } : {},
          cache: 'no-store',
        });
      } catch {
        if (stopped) return;
        setPage({ kind: 'problem', problem: playbackProblem(0, 'NETWORK'), retrying: true });
        retry();
        return;
      }
      if (stopped) return;
      if (!response.ok) {
        const error = await apiError(response);
        if (stopped) return;
        setPage({ kind: 'problem', problem: playbackProblem(error.status, error.code, error.message), retrying: false });
        return;
      }
      let detail: RecordingDetail;
      try {
        detail = parseAnswer(recordingDetailSchema, await response.json(), 'GET /api/recordings/:id');
      } catch (error) {
        if (stopped) return;
        const code = error instanceof AdminApiError ? error.code : 'INTERNAL';
        setPage({ kind: 'problem', problem: playbackProblem(response.status, code), retrying: false });
        return;
      }
      if (stopped) return;
      const { recording } = detail;
      const token = viewToken ?? viewTokenOf(detail.viewUrl);
      if (recording.status === 'failed') {
        const problem = { titleKey: 'player.problem.failed', detailKey: 'player.problem.askOrganiser', ...(recording.error ? { detailText: recording.error } : {}) };
        setPage({ kind: 'problem', problem, retrying: false });
      } else if (recording.status !== 'ready') {
        setPage({ kind: 'waiting', recording });
        retry();
      } else if (!token) {
        setPage({ kind: 'problem', problem: playbackProblem(401, 'UNAUTHORIZED'), retrying: false });
      } else {
        setPage({ kind: 'ready', recording, token });
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, viewToken]);

  return page;
}
