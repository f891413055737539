import type { NotificationName, NotificationOf } from '@teleclass/shared';
import type { Store } from '../store/Store.js';
import type { LectureRoom } from './LectureRoom.js';
import type { Participant } from './Participant.js';

/**
 * What the room needs to tell people (implemented by the signaling layer): to everyone in a
 * lecture (optionally but one peer), or to one peer (a participant id or a lobby id).
 */
export interface Notifier {
  lecture<N extends NotificationName>(lectureId: string, name: N, data: NotificationOf<N>, exceptPeer?: string): void;
  peer<N extends NotificationName>(peerId: string, name: N, data: NotificationOf<N>): void;
  /**
   * As `lecture`, to this node's participants only (cluster mode: each node announces the
   * producers it holds, its pulled copies included, to its own people). Left out: `lecture`.
   */
  here?<N extends NotificationName>(lectureId: string, name: N, data: NotificationOf<N>, exceptPeer?: string): void;
}

/** The part of the Store a room uses: attendance, removals, chat. */
export type RoomStore = Pick<
  Store,
  'recordJoin' | 'recordLeave' | 'isRemoved' | 'addRemoval' | 'deleteRemoval' | 'listRemovals' | 'addChat' | 'listChat' | 'countChat' | 'markAnswered'
>;

/**
 * The connection a participant (or a person in the lobby) is reached through, as the room sees
 * it: a socket today. A participant and its connection are separate: the connection may go
 * (`closed`, then `LectureRoom.detach`) before the participant leaves (`LectureRoom.leave`).
 */
export interface Attachment {
  /** The connection is gone: whatever a use-case still awaits must not take effect. */
  readonly closed: boolean;
  /** The browser it came from (refused with the identity when the trainer removes it). */
  readonly deviceId: string;
  /** It now speaks for `participant` in `room` (it joined). */
  entered(room: LectureRoom, participant: Participant): void;
  /** It waits in `room`'s lobby as `lobbyId`. */
  enteredLobby(room: LectureRoom, lobbyId: string): void;
  /** It no longer waits in the lobby (it joins, or waits again under a new id). */
  leftLobby(): void;
  /**
   * The room lets the connection go: the same person joined again elsewhere (`replaced`) or the
   * trainer removed it (`removed`). The connection stops speaking for the participant and closes.
   */
  letGo(reason: 'replaced' | 'removed' | 'full'): void;
}

/** Who asks: a joined participant and the connection it asks through. */
export interface Actor {
  readonly participant: Participant;
  readonly via: Attachment;
}
