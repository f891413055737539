/** Who is in the lecture, counted by role, and said in the reader's language. */
import type { PeerView } from '@teleclass/shared';
import type { TFunction } from 'i18next';

export interface ParticipantCounts {
  trainers: number;
  sites: number;
  attendees: number;
}

/** Counts by role, from the participant list (the list is kept by join/leave events). */
export function countByRole(peers: readonly Pick<PeerView, 'role'>[]): ParticipantCounts {
  const counts: ParticipantCounts = { trainers: 0, sites: 0, attendees: 0 };
  for (const peer of peers) {
    if (peer.role === 'trainer') counts.trainers++;
    else if (peer.role === 'site') counts.sites++;
    else counts.attendees++;
  }
  return counts;
}

/** "2 classrooms · 3 attendees", in the reader's language (`t` from useTranslation). */
export function formatCounts(counts: Pick<ParticipantCounts, 'sites' | 'attendees'>, t: TFunction): string {
  return `${t('counts.sites', { count: counts.sites })} · ${t('counts.attendees', { count: counts.attendees })}`;
}
