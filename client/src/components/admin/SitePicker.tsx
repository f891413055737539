import { useEffect, useRef } from 'react';
import type { Site } from '@teleclass/shared';
import { useT } from '../../i18n/useLanguage.js';

export interface SitePickerProps {
  sites: readonly Site[];
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
}

/** The registry's classrooms as checkboxes, with an "All N" toggle (indeterminate when some are picked). */
export function SitePicker({ sites, selected, onChange }: SitePickerProps) {
  const { t } = useT();
  const all = useRef<HTMLInputElement>(null);
  const picked = sites.filter((s) => selected.has(s.id)).length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = picked > 0 && picked < sites.length;
  }, [picked, sites.length]);
  return (
    <fieldset className="field site-picker" data-testid="site-picker">
      <legend>{t('sitePicker.legend')}</legend>
      {sites.length === 0 ? (
        <p className="site-picker__none">{t('sitePicker.none')}</p>
      ) : (
        <>
          <label className="toggle site-picker__all">
            <input
              ref={all}
              type="checkbox"
              data-testid="site-pick-all"
              checked={picked === sites.length}
              onChange={(e) => onChange(new Set(e.target.checked ? sites.map((s) => s.id) : []))}
            />
            <strong>{t('sitePicker.all', { count: sites.length })}</strong>
            <span className="site-picker__count" data-testid="site-pick-count">
              {t('sitePicker.selected', { count: picked })}
            </span>
          </label>
          <div className="site-picker__grid">
            {sites.map((s) => (
              <label key={s.id} className="toggle">
                <input
                  type="checkbox"
                  data-testid={`site-pick-${s.name}`}
                  checked={selected.has(s.id)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.target.checked) next.add(s.id);
                    else next.delete(s.id);
                    onChange(next);
                  }}
                />
                <span>{s.name}</span>
              </label>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
