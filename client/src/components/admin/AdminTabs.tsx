import { useT } from '../../i18n/useLanguage.js';

export type AdminTab = 'lectures' | 'network';

/** The admin page's two views: the lectures (form and schedule) and the network of classrooms. */
export function AdminTabs({ tab, onTab }: { tab: AdminTab; onTab: (tab: AdminTab) => void }) {
  const { t } = useT();
  return (
    <nav className="admin-tabs" role="tablist">
      {(['lectures', 'network'] as const).map((id) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={tab === id}
          className={`admin-tabs__tab ${tab === id ? 'admin-tabs__tab--on' : ''}`}
          data-testid={`tab-${id}`}
          onClick={() => onTab(id)}
        >
          {t(`admin.tabs.${id}`)}
        </button>
      ))}
    </nav>
  );
}
