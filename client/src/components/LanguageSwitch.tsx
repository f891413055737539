import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n/index.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';

/** The language switch on every page: changes the page at once and is remembered. */
export function LanguageSwitch({ className = '' }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <label className={`language-switch ${className}`}>
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        data-testid="language"
        value={currentLanguage()}
        onChange={(event) => isLanguage(event.target.value) && setLanguage(event.target.value)}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </label>
  );
}
