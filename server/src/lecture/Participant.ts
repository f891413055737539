import { randomUUID } from 'node:crypto';
import type { PeerView, Role } from '@teleclass/shared';

export interface ParticipantInit {
  role: Role;
  displayName: string;
  /** Stable across reconnects: 'trainer', 'site:<name>', 'attendee:<uuid>' (from the token). */
  identity: string;
  site?: string | null;
  /** The id to take (a receiving transport prepared before the join was opened for it: lecture/preparedRecv.ts); else a new one. */
  id?: string | undefined;
  /** Cluster mode: a participant of another node known here (its id and join time are that node's). */
  remote?: { node: string; id: string; joinedAt: number; soundBlocked?: boolean };
}

/** Someone in a lecture: the trainer, a classroom (site) or a remote attendee. */
export class Participant {
  readonly id: string;
  readonly joinedAt: number;
  /**
   * Cluster mode: the node this participant is connected to when that is another node (the
   * lecture's origin knows everyone; an edge keeps a copy of the origin's room). Null: this node's own.
   */
  readonly node: string | null;
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
    this.id = init.remote?.id ?? init.id ?? randomUUID();
    this.joinedAt = init.remote?.joinedAt ?? Date.now();
    this.node = init.remote?.node ?? null;
    this.#soundBlocked = init.remote?.soundBlocked ?? false;
  }

  /** Connected to this node (not a copy of another node's participant). */
  get local(): boolean {
    return this.node === null;
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
