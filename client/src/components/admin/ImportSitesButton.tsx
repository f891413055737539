import { useRef, useState } from 'react';
import type { ImportedSites } from '@teleclass/shared';
import { useT } from '../../i18n/useLanguage.js';

/**
 * "Import sites": a file picker for a JSON site list like ops/sites.example.json, sent to POST
 * /api/sites/import (the same import `npm run sites:import` does; names already registered are skipped).
 */
export function ImportSitesButton({ onImport }: { onImport: (text: string) => Promise<ImportedSites | null> }) {
  const { t } = useT();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<ImportedSites | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="import-sites">
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-sites-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setBusy(true);
          setResult(null);
          void file
            .text()
            .then(onImport)
            .then((r) => setResult(r))
            .finally(() => setBusy(false));
        }}
      />
      <button type="button" className="button button--small" data-testid="import-sites" disabled={busy} title={t('sitesImport.hint')} onClick={() => input.current?.click()}>
        {t('sitesImport.button')}
      </button>
      {result && (
        <span className="import-sites__result" role="status" data-testid="import-sites-result">
          {t('sitesImport.result', { created: result.created.length, skipped: result.skipped.length })}
        </span>
      )}
    </span>
  );
}
