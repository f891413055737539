import { useTranslation } from 'react-i18next';
import { VolumeX } from 'lucide-react';
import type { PeerView } from '@teleclass/shared';

/** Who cannot hear the lecture because their browser blocks its sound: classrooms by name first. */
export function soundBlockedNames(peers: readonly PeerView[]): string[] {
  const blocked = peers.filter((p) => p.soundBlocked && p.role !== 'trainer');
  const sites = blocked.filter((p) => p.role === 'site').map((p) => p.site ?? p.displayName);
  const attendees = blocked.filter((p) => p.role === 'attendee').map((p) => p.displayName);
  return [...sites, ...attendees];
}

/**
 * At the top of the studio's column: the classrooms (and attendees) whose browser blocks the
 * lecture's sound. Their screen shows "Enable sound"; someone there has to tap it.
 */
export function SoundBlockedAlert({ peers }: { peers: readonly PeerView[] }) {
  const { t } = useTranslation();
  const names = soundBlockedNames(peers);
  if (names.length === 0) return null;
  return (
    <div className="sound-alert" role="alert" data-testid="sound-blocked-alert">
      <VolumeX className="sound-alert__icon" aria-hidden="true" />
      <div>
        <strong>{t('notices.soundBlocked', { names: names.join(', ') })}</strong>
        <p className="sound-alert__hint">{t('notices.soundBlockedHint')}</p>
      </div>
    </div>
  );
}
