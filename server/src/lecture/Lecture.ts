import { EventEmitter } from 'node:events';
import {
  TeleclassError,
  type HandView,
  type LectureState,
  type LectureView,
  type LobbyView,
  type StageView,
} from '@teleclass/shared';
import { HandQueue } from './HandQueue.js';
import { Lobby, type LobbyEntry } from './Lobby.js';
import { Participant } from './Participant.js';
import { Stage } from './Stage.js';

export type { LobbyEntry } from './Lobby.js';

export type LectureEvents = {
  participantjoined: [Participant];
  participantleft: [Participant];
  statechanged: [LectureView];
  handschanged: [HandView[]];
  stagechanged: [StageView[]];
  /** A participant lost the floor: its camera and microphone must stop. */
  stageleft: [Participant];
  /** Who is invited to speak and has not answered yet (attendees are asked first). */
  invitationschanged: [StageView[]];
  /** An attendee declined the floor. */
  floordeclined: [Participant];
  /** Who started and who stopped waiting (deltas: a long lobby is never sent whole on every change). */
  lobbychanged: [{ added: LobbyView[]; removed: string[] }];
  /** Someone of this node's own started (true) or stopped waiting (cluster mode: the origin's lobby hears of it). */
  ownlobbychanged: [LobbyEntry, boolean];
  /** A participant's view changed (cluster mode: a copy of another node's participant). */
  participantupdated: [Participant];
};

export interface LectureInit {
  id: string;
  title: string;
  scheduledStart: string;
  state: LectureState;
  locked: boolean;
  startedAt: number | null;
  endedAt: number | null;
  stageSize: number;
  /** Attendees at once (the trainer and classrooms are never refused); unlimited when left out. */
  maxParticipants?: number;
  /** People waiting in the lobby at once; unlimited when left out. */
  maxLobby?: number;
}

/**
 * One lecture as a state machine (waiting → live → ended; the trainer may go live again after an
 * end), with its participants, one trainer at a time, raised hands, who has the floor and the
 * lobby of a locked lecture. No sockets, no media: those listen to its events.
 */
export class Lecture extends EventEmitter<LectureEvents> {
  readonly id: string;
  readonly title: string;
  readonly scheduledStart: string;
  #state: LectureState;
  #locked: boolean;
  #startedAt: number | null;
  #endedAt: number | null;
  #recordingSince: number | null = null;
  readonly #participants = new Map<string, Participant>();
  readonly #hands = new HandQueue();
  readonly #stage: Stage;
  /** Attendees invited to speak, not yet answered: peerId → since. Each holds a place on the stage. */
  readonly #invited = new Map<string, number>();
  readonly #lobby: Lobby;
  readonly #maxParticipants: number;

  constructor(init: LectureInit) {
    super();
    this.id = init.id;
    this.title = init.title;
    this.scheduledStart = init.scheduledStart;
    this.#state = init.state;
    this.#locked = init.locked;
    this.#startedAt = init.startedAt;
    this.#endedAt = init.endedAt;
    this.#stage = new Stage(init.stageSize);
    this.#maxParticipants = init.maxParticipants ?? Infinity;
    this.#lobby = new Lobby(init.maxLobby);
  }

  get state(): LectureState {
    return this.#state;
  }

  get locked(): boolean {
    return this.#locked;
  }

  get participants(): Participant[] {
    return [...this.#participants.values()];
  }

  /** Nobody of this node's own (participants and waiting people of other nodes known here do not count). */
  get isEmpty(): boolean {
    return !this.#lobby.hasOwn() && !this.participants.some((p) => p.local);
  }

  /** This node's own participants (cluster mode: the others are copies of other nodes'). */
  get localParticipants(): Participant[] {
    return this.participants.filter((p) => p.local);
  }

  /** MAX_PARTICIPANTS: attendees at most (Infinity: no cap). */
  get maxParticipants(): number {
    return this.#maxParticipants;
  }

  get trainer(): Participant | undefined {
    return this.participants.find((p) => p.role === 'trainer');
  }

  participant(id: string): Participant | undefined {
    return this.#participants.get(id);
  }

  byIdentity(identity: string): Participant | undefined {
    return this.participants.find((p) => p.identity === identity);
  }

  /** A participant of this lecture other than the trainer (who is never moderated). */
  other(peerId: string): Participant {
    const p = this.#participants.get(peerId);
    if (!p) throw new TeleclassError('NOT_FOUND', 'That participant is not in the lecture.');
    if (p.role === 'trainer') throw new TeleclassError('INVALID_STATE', 'That is the trainer.');
    return p;
  }

  view(): LectureView {
    const count = (role: Participant['role']) => this.participants.filter((p) => p.role === role).length;
    return {
      id: this.id,
      title: this.title,
      scheduledStart: this.scheduledStart,
      state: this.#state,
      locked: this.#locked,
      stageSize: this.#stage.capacity,
      recordingSince: this.#recordingSince,
      startedAt: this.#startedAt,
      endedAt: this.#endedAt,
      counts: { trainers: count('trainer'), sites: count('site'), attendees: count('attendee') },
    };
  }

  // ------------------------------------------------------------------ presence

  /** Whether this person must wait in the lobby (only attendees, only while locked). */
  mustWait(role: Participant['role'], identity: string): boolean {
    return role === 'attendee' && this.#locked && !this.#lobby.isAdmitted(identity);
  }

  join(participant: Participant): void {
    if (participant.role === 'trainer' && this.trainer) throw new TeleclassError('TRAINER_PRESENT');
    this.assertRoomFor(participant.role);
    this.#participants.set(participant.id, participant);
    this.emit('participantjoined', participant);
    this.emit('statechanged', this.view());
  }

  leave(participantId: string): void {
    const participant = this.#participants.get(participantId);
    if (!participant) return;
    this.#participants.delete(participantId);
    this.#uninvite(participantId);
    if (this.#hands.lower(participantId)) this.emit('handschanged', this.#hands.list());
    if (this.#stage.take(participantId)) this.emit('stagechanged', this.stage());
    this.emit('participantleft', participant);
    this.emit('statechanged', this.view());
  }

  /** LIMIT when one more of this role would go past MAX_PARTICIPANTS (only attendees count). */
  assertRoomFor(role: Participant['role']): void {
    if (role !== 'attendee') return;
    const attendees = this.participants.filter((p) => p.role === 'attendee').length;
    if (attendees >= this.#maxParticipants) {
      throw new TeleclassError('LIMIT', `This lecture is full (${this.#maxParticipants} attendees).`);
    }
  }

  /** Whether the participant's browser blocks the lecture's sound: `participantupdated` when that changed. */
  setSoundBlocked(peerId: string, blocked: boolean): void {
    const p = this.#participants.get(peerId);
    if (p?.setSoundBlocked(blocked)) this.emit('participantupdated', p);
  }

  // ------------------------------------------------------------------ lobby

  /**
   * Someone waits (LIMIT past MAX_LOBBY: in a cluster the origin's lobby, and each node's copy of
   * it, counts every node's waiting people). `on`: the node they wait on and since when, for
   * someone of another node (cluster mode, on the origin).
   */
  waitInLobby(peerId: string, displayName: string, identity: string, on?: { node: string; since: number }): void {
    const entry: LobbyEntry = { peerId, displayName, identity, since: on?.since ?? Date.now(), ...(on && { node: on.node }) };
    this.#lobby.add(entry);
    this.emit('lobbychanged', { added: [{ peerId, displayName, since: entry.since }], removed: [] });
    if (!on) this.emit('ownlobbychanged', entry, true);
  }

  leaveLobby(peerId: string): void {
    const entry = this.#lobby.remove(peerId);
    if (!entry) return;
    this.emit('lobbychanged', { added: [], removed: [peerId] });
    if (entry.node === undefined) this.emit('ownlobbychanged', entry, false);
  }

  /** Admits a waiting attendee; returns its lobby id so the caller can tell it. */
  admit(peerId: string): string {
    this.#lobby.admit(peerId);
    this.leaveLobby(peerId);
    return peerId;
  }

  /** Someone waiting, with the node they wait on (undefined: nobody with that id). */
  lobbyEntry(peerId: string): LobbyEntry | undefined {
    return this.#lobby.get(peerId);
  }

  /** Everyone waiting, with their identity and node (cluster mode). */
  lobbyEntries(): LobbyEntry[] {
    return this.#lobby.entries();
  }

  /** A removed person's admission is void: let back in, they wait in the lobby again while locked. */
  revokeAdmission(identity: string): void {
    this.#lobby.revoke(identity);
  }

  lobby(): LobbyView[] {
    return this.#lobby.views();
  }

  /** Locks or unlocks; unlocking admits everyone waiting and returns their lobby ids. */
  setLocked(locked: boolean): string[] {
    this.#locked = locked;
    const admitted = locked ? [] : this.#lobby.ids().map((id) => this.admit(id));
    this.emit('statechanged', this.view());
    return admitted;
  }

  // ------------------------------------------------------------------ hands and the floor

  raiseHand(peerId: string): void {
    const p = this.other(peerId);
    if (this.#stage.has(peerId)) throw new TeleclassError('INVALID_STATE', 'You already have the floor.');
    if (this.#hands.raise({ peerId, displayName: p.displayName, role: p.role, site: p.site })) {
      this.emit('handschanged', this.#hands.list());
    }
  }

  lowerHand(peerId: string): void {
    if (this.#hands.lower(peerId)) this.emit('handschanged', this.#hands.list());
  }

  hands(): HandView[] {
    return this.#hands.list();
  }

  /**
   * Gives the floor. A classroom (an unattended kiosk) takes it at once; an attendee is invited
   * and takes it only by accepting (`answerFloor`), so nobody's camera goes on without asking.
   */
  giveFloor(peerId: string): void {
    const p = this.other(peerId);
    if (this.#state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
    if (this.#stage.has(peerId) || this.#invited.has(peerId)) return;
    this.#stage.assertRoom(this.#invited.size);
    this.lowerHand(peerId);
    if (p.role === 'attendee') {
      this.#invited.set(peerId, Date.now());
      this.emit('invitationschanged', this.invitations());
      return;
    }
    this.#stage.give(peerId);
    this.emit('stagechanged', this.stage());
  }

  /** An invited attendee accepts (takes the floor) or declines. */
  answerFloor(peerId: string, accept: boolean): void {
    const p = this.other(peerId);
    if (!this.#invited.has(peerId)) throw new TeleclassError('INVALID_STATE', 'You are not invited to speak.');
    this.#uninvite(peerId);
    if (!accept) {
      this.emit('floordeclined', p);
      return;
    }
    if (this.#state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
    this.#stage.give(peerId);
    this.emit('stagechanged', this.stage());
  }

  /** Takes the floor back, or withdraws an invitation not yet answered. */
  takeFloor(peerId: string): void {
    const p = this.other(peerId);
    if (this.#uninvite(peerId)) return;
    if (!this.#stage.take(peerId)) throw new TeleclassError('INVALID_STATE', 'That participant does not have the floor.');
    this.emit('stageleft', p);
    this.emit('stagechanged', this.stage());
  }

  invitations(): StageView[] {
    return [...this.#invited].flatMap(([peerId, since]) => {
      const p = this.#participants.get(peerId);
      return p ? [{ peerId, displayName: p.displayName, role: p.role, site: p.site, since }] : [];
    });
  }

  #uninvite(peerId: string): boolean {
    if (!this.#invited.delete(peerId)) return false;
    this.emit('invitationschanged', this.invitations());
    return true;
  }

  onStage(peerId: string): boolean {
    return this.#stage.has(peerId);
  }

  stage(): StageView[] {
    return this.#stage.list().flatMap(({ peerId, since }) => {
      const p = this.#participants.get(peerId);
      return p ? [{ peerId, displayName: p.displayName, role: p.role, site: p.site, since }] : [];
    });
  }

  // ------------------------------------------------------------------ state

  /** A recording started (its start time) or stopped (null). */
  setRecording(since: number | null): void {
    this.#recordingSince = since;
    this.emit('statechanged', this.view());
  }

  start(): LectureView {
    if (this.#state === 'live') throw new TeleclassError('INVALID_STATE', 'The lecture is already live.');
    this.#state = 'live';
    this.#startedAt = Date.now();
    this.#endedAt = null;
    const view = this.view();
    this.emit('statechanged', view);
    return view;
  }

  end(): LectureView {
    if (this.#state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
    for (const peerId of [...this.#invited.keys()]) this.#uninvite(peerId);
    for (const { peerId } of this.#stage.list()) this.takeFloor(peerId);
    this.#state = 'ended';
    this.#endedAt = Date.now();
    const view = this.view();
    this.emit('statechanged', view);
    return view;
  }

  // ------------------------------------------------------------------ cluster mode

  /**
   * A node's copy of the origin's room is written through these (lecture/roomCopy.ts only): they
   * set what the origin says, without the rules of a local change and without events (roomCopy
   * emits what changed).
   */
  readonly copy = {
    participant: (p: Participant): void => {
      this.#participants.set(p.id, p);
    },
    hands: (hands: HandView[]): void => this.#hands.replace(hands),
    invited: (invited: StageView[]): void => {
      this.#invited.clear();
      for (const i of invited) this.#invited.set(i.peerId, i.since);
    },
    stage: (stage: StageView[]): void => this.#stage.replace(stage),
    /** The other nodes' waiting people become `others` (this node's own stay); the change is answered. */
    lobby: (others: LobbyEntry[]): { added: LobbyView[]; removed: string[] } => this.#lobby.replaceOthers(others),
    state: (l: LectureView): void => {
      this.#state = l.state;
      this.#locked = l.locked;
      this.#startedAt = l.startedAt;
      this.#endedAt = l.endedAt;
      this.#recordingSince = l.recordingSince;
    },
  };
}
