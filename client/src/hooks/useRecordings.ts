import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RecordingSummary } from '@teleclass/shared';
import { AdminApi, AdminApiError } from '../admin/adminApi.js';
import { isInProgress } from '../view/recordings.js';

/** While a recording is being written or processed, the list is asked again this often. */
export const POLL_BUSY_MS = 2000;
/** Otherwise (a recording may still start while the page is open). */
export const POLL_IDLE_MS = 15_000;
/** A viewing link is asked for again this long before it expires. */
const LINK_MARGIN_MS = 60_000;

export interface ViewLink {
  /** The signed viewing link (`…/recordings/<id>?token=…`), to open, copy or hand out. */
  url: string;
  expiresAt: number;
}

export interface RecordingsConsole {
  /** Newest first; null until the first answer. */
  recordings: RecordingSummary[] | null;
  /** Viewing links of the ready recordings, by id. */
  links: Record<string, ViewLink>;
  error: string | null;
  remove(id: string): Promise<void>;
  reload(): void;
}

const sentence = (e: unknown) => (e instanceof AdminApiError ? e.message : 'Something went wrong.');

/** The recordings of one lecture for the admin: polled, with a viewing link for each ready one. */
export function useRecordings(token: string | null, lectureId: string | null): RecordingsConsole {
  const api = useMemo(() => (token ? new AdminApi(token) : null), [token]);
  const [recordings, setRecordings] = useState<RecordingSummary[] | null>(null);
  const [links, setLinks] = useState<Record<string, ViewLink>>({});
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  /** Recording id → when its viewing link expires (asked for, or on its way). */
  const asked = useRef(new Map<string, number>());

  useEffect(() => {
    setRecordings(null);
    setLinks({});
    setError(null);
    asked.current = new Map();
  }, [api, lectureId]);

  useEffect(() => {
    if (!api || !lectureId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let next = POLL_IDLE_MS;
      try {
        const list = await api.listRecordings(lectureId);
        if (stopped) return;
        setRecordings(list);
        setError(null);
        if (list.some((r) => isInProgress(r.status))) next = POLL_BUSY_MS;
      } catch (e) {
        if (stopped) return;
        setError(sentence(e));
      }
      timer = setTimeout(() => void load(), next);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, lectureId, generation]);

  // A fresh viewing link for every ready recording (and again before one expires).
  useEffect(() => {
    if (!api || !recordings) return;
    const now = Date.now();
    for (const r of recordings) {
      const expiresAt = asked.current.get(r.id);
      if (r.status !== 'ready' || (expiresAt !== undefined && expiresAt - LINK_MARGIN_MS > now)) continue;
      const map = asked.current;
      map.set(r.id, Infinity);
      api
        .getRecording(r.id)
        .then((detail) => {
          if (map !== asked.current || !detail.viewUrl) return;
          const until = Date.parse(detail.viewUrlExpiresAt ?? '');
          const link = { url: detail.viewUrl, expiresAt: Number.isFinite(until) ? until : Infinity };
          map.set(r.id, link.expiresAt);
          setLinks((l) => ({ ...l, [r.id]: link }));
        })
        .catch((e: unknown) => {
          if (map !== asked.current) return;
          map.set(r.id, 0); // asked again with the next answer of the list
          setError(sentence(e));
        });
    }
  }, [api, recordings]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const remove = useCallback(
    async (id: string) => {
      if (!api) return;
      try {
        await api.deleteRecording(id);
        setRecordings((list) => list?.filter((r) => r.id !== id) ?? null);
        setError(null);
      } catch (e) {
        setError(sentence(e));
      }
      reload();
    },
    [api, reload],
  );

  return { recordings, links, error, remove, reload };
}
