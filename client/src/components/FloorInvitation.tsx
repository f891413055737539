import { useTranslation } from 'react-i18next';
/** The trainer gave this attendee the floor: nothing is sent until they accept. */
export function FloorInvitation({ onAnswer }: { onAnswer: (accept: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <div className="floor-invitation" role="alertdialog" aria-labelledby="floor-invitation-title" data-testid="floor-invitation">
      <p id="floor-invitation-title" className="floor-invitation__text">
        {t('floor.invite')}
      </p>
      <div className="floor-invitation__actions">
        <button type="button" className="button button--primary" data-testid="accept-floor" onClick={() => onAnswer(true)}>
          {t('floor.accept')}
        </button>
        <button type="button" className="button" data-testid="decline-floor" onClick={() => onAnswer(false)}>
          {t('floor.decline')}
        </button>
      </div>
    </div>
  );
}
