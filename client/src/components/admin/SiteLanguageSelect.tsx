import { useState } from 'react';
import type { Language } from '@teleclass/shared';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n/languages.js';
import { useT } from '../../i18n/useLanguage.js';

/** A site's kiosk language in the registry: one of ours, or the kiosk browser's own (null). */
export function SiteLanguageSelect({
  siteName,
  value,
  onChange,
}: {
  siteName: string;
  value: Language | null;
  onChange: (language: Language | null) => Promise<void>;
}) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  return (
    <select
      data-testid={`site-language-${siteName}`}
      aria-label={t('network.kioskLanguageOf', { name: siteName })}
      value={value ?? ''}
      disabled={busy}
      onChange={(e) => {
        const next = e.target.value;
        setBusy(true);
        void onChange(isLanguage(next) ? next : null).finally(() => setBusy(false));
      }}
    >
      <option value="">{t('network.kioskLanguageBrowser')}</option>
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </option>
      ))}
    </select>
  );
}
