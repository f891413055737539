import { randomUUID } from 'node:crypto';
import type { PeerView, Role } from '@teleclass/shared';

/** Someone in a lecture: the trainer, a classroom (site) or a remote attendee. */
export class Participant {
  readonly id: string = randomUUID();
  readonly joinedAt = Date.now();

  constructor(
    readonly role: Role,
    readonly displayName: string,
  ) {}

  view(): PeerView {
    return { id: this.id, role: this.role, displayName: this.displayName, joinedAt: this.joinedAt };
  }
}
