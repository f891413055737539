import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImportedSites, Language, SiteWithStatus, StudioPreflightView as StudioPreflight } from '@teleclass/shared';
import { AdminApi, AdminApiError } from '../admin/adminApi.js';
import { parseSiteList } from '../view/siteImport.js';

export interface SitesConsole {
  sites: SiteWithStatus[];
  /** Each lecture's last studio pre-flight check, newest first. */
  studios: StudioPreflight[];
  /** The last failure: the server's code and sentence. */
  error: { code: string; message: string } | null;
  reload(): Promise<void>;
  /** Reads a JSON file like ops/sites.example.json and imports it; the result, or null on failure. */
  importFile(text: string): Promise<ImportedSites | null>;
  rotate(siteId: string): Promise<void>;
  /** The site's kiosk language (null: its browser's); the kiosk follows on its next poll. */
  setLanguage(siteId: string, language: Language | null): Promise<void>;
}

/** How often the Network tab refreshes what is known of every site. */
export const SITES_REFRESH_MS = 5_000;

/** The sites registry for the admin page; refreshed every SITES_REFRESH_MS while `live`. */
export function useSites(token: string | null, live: boolean): SitesConsole {
  const api = useMemo(() => (token ? new AdminApi(token) : null), [token]);
  const [sites, setSites] = useState<SiteWithStatus[]>([]);
  const [studios, setStudios] = useState<StudioPreflight[]>([]);
  const [error, setError] = useState<SitesConsole['error']>(null);

  const attempt = useCallback(
    async <T,>(run: (a: AdminApi) => Promise<T>): Promise<T | null> => {
      if (!api) return null;
      try {
        const result = await run(api);
        setError(null);
        return result;
      } catch (e) {
        setError(e instanceof AdminApiError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: String(e) });
        return null;
      }
    },
    [api],
  );

  const reload = useCallback(async () => {
    const answer = await attempt((a) => a.network());
    if (answer) {
      setSites(answer.sites);
      setStudios(answer.studios);
    }
  }, [attempt]);

  useEffect(() => {
    setSites([]);
    if (!api) return;
    void reload();
    if (!live) return;
    const timer = setInterval(() => void reload(), SITES_REFRESH_MS);
    return () => clearInterval(timer);
  }, [api, live, reload]);

  const importFile = useCallback(
    async (text: string) => {
      const parsed = parseSiteList(text);
      if (!parsed.ok) {
        setError({ code: 'BAD_FILE', message: parsed.problem });
        return null;
      }
      const result = await attempt((a) => a.importSites(parsed.sites));
      if (result) await reload();
      return result;
    },
    [attempt, reload],
  );

  const rotate = useCallback(
    async (siteId: string) => {
      if (await attempt((a) => a.rotateKioskLink(siteId))) await reload();
    },
    [attempt, reload],
  );

  const setLanguage = useCallback(
    async (siteId: string, language: Language | null) => {
      if ((await attempt((a) => a.setSiteLanguage(siteId, language))) !== null) await reload();
    },
    [attempt, reload],
  );

  return { sites, studios, error, reload, importFile, rotate, setLanguage };
}
