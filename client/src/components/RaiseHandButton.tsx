import { useTranslation } from 'react-i18next';
import { HandIcon } from './HandIcon.js';

export interface RaiseHandButtonProps {
  raised: boolean;
  onToggle: () => void;
  disabled?: boolean;
  /** The kiosk's touch-screen size. */
  big?: boolean;
}

/** "Raise hand" / "Lower hand". */
export function RaiseHandButton({ raised, onToggle, disabled, big }: RaiseHandButtonProps) {
  const { t } = useTranslation();
  const classes = ['button', 'raise-hand', big ? 'raise-hand--big' : '', raised ? 'raise-hand--raised' : ''].filter(Boolean).join(' ');
  return (
    <button type="button" className={classes} data-testid="raise-hand" aria-pressed={raised} disabled={disabled} onClick={onToggle}>
      <HandIcon className="raise-hand__icon" />
      {t(raised ? 'hand.lower' : 'hand.raise')}
    </button>
  );
}
