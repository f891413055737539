import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AdminLecture, LectureWithLinks } from '@teleclass/shared';
import { AdminApi, AdminApiError, type NewLecture } from '../admin/adminApi.js';
import { currentLanguage } from '../i18n/index.js';

export interface AdminConsole {
  lectures: AdminLecture[];
  /** The selected lecture with its links. */
  selected: LectureWithLinks | null;
  /** The last failure, as a sentence. */
  /** The last failure: its HTTP status (0: unreachable) and the server's own sentence (English, for details). */
  error: { status: number; message: string } | null;
  /** The token was refused (401). */
  unauthorized: boolean;
  loading: boolean;
  reload(): Promise<void>;
  create(lecture: NewLecture): Promise<boolean>;
  select(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  downloadCsv(id: string): Promise<void>;
  clearError(): void;
}

/** The admin API for one token: the lecture list, the selected lecture's links, create and delete. */
export function useAdmin(token: string | null): AdminConsole {
  const api = useMemo(() => (token ? new AdminApi(token) : null), [token]);
  const [lectures, setLectures] = useState<AdminLecture[]>([]);
  const [selected, setSelected] = useState<LectureWithLinks | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [unauthorized, setUnauthorized] = useState(false);
  const [loading, setLoading] = useState(false);

  const attempt = useCallback(async <T,>(run: (api: AdminApi) => Promise<T>): Promise<T | null> => {
    if (!api) return null;
    try {
      const result = await run(api);
      setError(null);
      setUnauthorized(false);
      return result;
    } catch (e) {
      const failure = e instanceof AdminApiError ? e : new AdminApiError(0, 'INTERNAL', 'Something went wrong.');
      setError({ status: failure.status, message: failure.message });
      setUnauthorized(failure.status === 401);
      return null;
    }
  }, [api]);

  const reload = useCallback(async () => {
    setLoading(true);
    const list = await attempt((a) => a.listLectures());
    setLoading(false);
    if (list) setLectures(list);
  }, [attempt]);

  useEffect(() => {
    setLectures([]);
    setSelected(null);
    if (api) void reload();
  }, [api, reload]);

  const create = useCallback(
    async (lecture: NewLecture) => {
      const created = await attempt((a) => a.createLecture(lecture));
      if (!created) return false;
      setSelected(created);
      await reload();
      return true;
    },
    [attempt, reload],
  );

  const select = useCallback(
    async (id: string) => {
      const found = await attempt((a) => a.getLecture(id));
      if (found) setSelected(found);
    },
    [attempt],
  );

  const remove = useCallback(
    async (id: string) => {
      const done = await attempt(async (a) => {
        await a.deleteLecture(id);
        return true;
      });
      if (!done) return;
      setSelected((s) => (s?.lecture.id === id ? null : s));
      await reload();
    },
    [attempt, reload],
  );

  const downloadCsv = useCallback(
    async (id: string) => {
      const blob = await attempt((a) => a.attendanceCsv(id, currentLanguage()));
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `attendance-${id}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    [attempt],
  );

  return { lectures, selected, error, unauthorized, loading, reload, create, select, remove, downloadCsv, clearError: () => setError(null) };
}
