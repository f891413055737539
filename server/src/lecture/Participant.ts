import { randomUUID } from 'node:crypto';
import type { PeerView, Role } from '@teleclass/shared';

export interface ParticipantInit {
  role: Role;
  displayName: string;
  /** Stable across reconnects: 'trainer', 'site:<name>', 'attendee:<uuid>' (from the token). */
  identity: string;
  site?: string | null;
}

/** Someone in a lecture: the trainer, a classroom (site) or a remote attendee. */
export class Participant {
  readonly id: string = randomUUID();
  readonly joinedAt = Date.now();
  readonly role: Role;
  readonly displayName: string;
  readonly identity: string;
  readonly site: string | null;
  /** The attendance record open while this participant is present. */
  attendanceId: string | null = null;
  #soundBlocked = false;

  constructor(init: ParticipantInit) {
    this.role = init.role;
    this.displayName = init.displayName;
    this.identity = init.identity;
    this.site = init.site ?? null;
  }

  /** Whether its browser blocks the lecture's sound (it said so); true when that changed. */
  setSoundBlocked(blocked: boolean): boolean {
    if (this.#soundBlocked === blocked) return false;
    this.#soundBlocked = blocked;
    return true;
  }

  view(): PeerView {
    return { id: this.id, role: this.role, displayName: this.displayName, site: this.site, joinedAt: this.joinedAt, soundBlocked: this.#soundBlocked };
  }
}
