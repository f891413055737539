import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { LectureMedia } from '../media/LectureMedia.js';
import type { LectureRecord } from '../store/Store.js';
import type { AttendanceLog } from './AttendanceLog.js';
import type { Lecture } from './Lecture.js';
import type { Participant } from './Participant.js';
import { Presence } from './Presence.js';
import type { Actor, Attachment, Notifier, RoomStore } from './ports.js';
import { RoomChat, type ChatLimits } from './RoomChat.js';
import { RoomStreams } from './RoomStreams.js';
import { removalViews } from './views.js';

/**
 * One lecture in progress: the Lecture (its rules and state), its media, and the room's
 * use-cases — presence, the lecture's state, hands and the floor, moderation; media in `streams`
 * (RoomStreams), chat in `chat` (RoomChat), joining in join.ts. Whatever must hold across an
 * await is checked again after it here. Knows no sockets: people are reached through their
 * Attachment and the Notifier port.
 */
export class LectureRoom {
  readonly lecture: Lecture;
  readonly media: LectureMedia;
  readonly streams: RoomStreams;
  readonly chat: RoomChat;
  /** Who hears of whom (Presence: attendees hear of each other only once shown). */
  readonly presence: Presence;
  /** The stored lecture as read when the room opened: its sites (which never change); its state is the Lecture's. */
  readonly record: LectureRecord;
  readonly #store: RoomStore;
  readonly #attendance: AttendanceLog;
  readonly #notify: Notifier;
  /**
   * Removals made while this room is open, kept here too: a join that read "not removed" from
   * the store before the removal was written is refused all the same (join.ts checks after its awaits).
   */
  readonly #removedHere: { identity: string; deviceId: string | null }[] = [];
  /** Moves on with every removal and restoration (a joining trainer's list may need telling again). */
  #removalsVersion = 0;
  /** Each participant's connection; a participant may, for a while, have none (see `detach`). */
  readonly #attached = new Map<string, Attachment>();
  /** Each participant's browser (its device id), kept while it is held without a connection (a removal covers it). */
  readonly #devices = new Map<string, string>();
  #closed = false;

  constructor(
    lecture: Lecture,
    media: LectureMedia,
    deps: { store: RoomStore; record: LectureRecord; attendance: AttendanceLog; notify: Notifier; chat: () => ChatLimits | undefined },
  ) {
    this.lecture = lecture;
    this.media = media;
    this.record = deps.record;
    this.#store = deps.store;
    this.#attendance = deps.attendance;
    this.#notify = deps.notify;
    this.streams = new RoomStreams(this);
    this.presence = new Presence(lecture);
    this.chat = new RoomChat(lecture, deps.store, deps.notify, deps.chat);
    // A participant that lost the floor stops sending at once.
    lecture.on('stageleft', (p) => media.closeProducersOf(p.id));
  }

  get id(): string {
    return this.lecture.id;
  }

  get store(): RoomStore {
    return this.#store;
  }

  get notify(): Notifier {
    return this.#notify;
  }

  /** The room was closed (nobody left, or the lecture deleted); a new one may be open for the same lecture. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Called by the registry only. */
  close(): void {
    this.#closed = true;
    this.media.close();
    this.lecture.removeAllListeners();
    this.media.removeAllListeners();
  }

  // ------------------------------------------------------------------ presence

  attachmentOf(peerId: string): Attachment | undefined {
    return this.#attached.get(peerId);
  }

  /** Whether this connection already speaks for a participant here. */
  isAttached(via: Attachment): boolean {
    for (const a of this.#attached.values()) if (a === via) return true;
    return false;
  }

  /** The participant is still here, still reached through `via`, and `via` is still open. */
  assertPresent({ participant, via }: Actor): void {
    if (via.closed || this.lecture.participant(participant.id) !== participant || this.#attached.get(participant.id) !== via) {
      throw new TeleclassError('NOT_FOUND', 'You have left.');
    }
  }

  /**
   * A participant joins through `via` (join.ts checked everything first), at once; its attendance
   * opens while the lecture is not over. The answer settles when that is written (never rejects).
   */
  enter(participant: Participant, via: Attachment): Promise<void> {
    this.lecture.join(participant);
    // Attendance counts while the lecture is not over (a kiosk left open after the end does not count).
    const written = this.lecture.state !== 'ended' ? this.#attendance.open(this.id, participant) : Promise.resolve();
    this.#attached.set(participant.id, via);
    this.#devices.set(participant.id, via.deviceId);
    via.entered(this, participant);
    return written;
  }

  /**
   * The connection went away; the participant, its media and its attendance stay until `leave`
   * (at once, or when the resume grace ends: resume.ts) or until it is attached again (`reattach`).
   */
  detach(peerId: string, via: Attachment): void {
    if (this.#attached.get(peerId) === via) this.#attached.delete(peerId);
  }

  /** A detached participant speaks through `via` again (a resumed session: resume.ts checked everything). */
  reattach(participant: Participant, via: Attachment): void {
    this.#attached.set(participant.id, via);
    this.#devices.set(participant.id, via.deviceId);
    via.entered(this, participant);
  }

  /**
   * The participant leaves: its media closes, it is out of the lecture and its attendance closes
   * at `at` (the moment its connection was lost, for one held for a resume). Idempotent.
   */
  leave(peerId: string, reason: string, at = Date.now()): void {
    const participant = this.lecture.participant(peerId);
    this.#attached.delete(peerId);
    this.#devices.delete(peerId);
    this.media.closePeer(peerId);
    if (!participant) return;
    this.lecture.leave(peerId);
    this.#attendance.close(this.id, participant, at, reason);
  }

  /** Lets a participant go from the room's side: its connection is told to close, then it leaves. */
  letGo(peerId: string, reason: 'replaced' | 'removed' | 'full'): void {
    this.#attached.get(peerId)?.letGo(reason);
    this.leave(peerId, reason);
  }

  /** A waiting person leaves the lobby (it joined, left, or its connection went). */
  leaveLobby(lobbyId: string): void {
    this.lecture.leaveLobby(lobbyId);
  }

  // ------------------------------------------------------------------ the lecture's state

  /** Goes live; the answer is the view once everything that follows the start has run (an automatic recording). */
  start(): LectureView {
    this.lecture.start();
    return this.lecture.view();
  }

  /** Ends the lecture for everyone: its state goes to `ended` and every stream stops. */
  end(): LectureView {
    this.lecture.end();
    this.media.closeAllProducers();
    return this.lecture.view();
  }

  assertLive(): void {
    if (this.lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED');
    if (this.lecture.state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
  }

  // ------------------------------------------------------------------ hands and the floor

  raiseHand({ participant }: Actor): void {
    this.lecture.raiseHand(participant.id);
  }

  lowerHand({ participant }: Actor): void {
    this.lecture.lowerHand(participant.id);
  }

  dismissHand(peerId: string): void {
    this.lecture.other(peerId);
    this.lecture.lowerHand(peerId);
  }

  /**
   * A classroom learns it has the floor from the `stage` notification, then sends; an attendee is
   * invited first (`invitations`) and answers with `answerFloor`.
   */
  giveFloor(peerId: string): void {
    this.lecture.giveFloor(peerId);
  }

  /** Takes the floor back (its camera and microphone close: see the constructor) or withdraws an invitation. */
  takeFloor(peerId: string): void {
    this.lecture.takeFloor(peerId);
  }

  answerFloor({ participant }: Actor, accept: boolean): void {
    this.lecture.answerFloor(participant.id, accept);
  }

  /** A site or attendee whose browser blocks (or no longer blocks) the lecture's sound: the lecture hears of a change. */
  reportPlayback({ participant }: Actor, soundBlocked: boolean): void {
    this.lecture.setSoundBlocked(participant.id, soundBlocked); // `participantupdated` → participantUpdated (signaling/wiring.ts)
  }

  // ------------------------------------------------------------------ moderation

  /** Pauses the participant's microphone on the server; they may unmute themselves while they have the floor. */
  async mute(peerId: string): Promise<void> {
    this.lecture.other(peerId);
    const mic = this.media.producerOf(peerId, 'microphone');
    if (!mic) throw new TeleclassError('INVALID_STATE', 'That participant sends no sound.');
    await this.media.setProducerPaused(peerId, mic.id, true);
    this.#notify.peer(peerId, 'mutedByTrainer', { producerId: mic.id });
  }

  /**
   * Lets the participant go and refuses, for this lecture, its identity and the browser it came
   * from from now on: at once here, then in the store (the answer waits for the store).
   */
  async remove(peerId: string): Promise<void> {
    const target = this.lecture.other(peerId);
    const removal = {
      identity: target.identity,
      // One held for a resume has no connection: the browser it came from is still known.
      deviceId: this.#attached.get(target.id)?.deviceId ?? this.#devices.get(target.id) ?? null,
      name: target.displayName,
      role: target.role,
    };
    this.lecture.revokeAdmission(target.identity);
    this.#removedHere.push({ identity: removal.identity, deviceId: removal.deviceId });
    this.#removalsVersion++;
    this.#notify.peer(target.id, 'removed', { kind: 'removed', reason: 'The trainer removed you from the lecture.' });
    // One held for a resume (no connection) is removed at once too: its resume is refused.
    if (this.#attached.has(target.id)) this.letGo(target.id, 'removed');
    else this.leave(target.id, 'removed');
    await this.#store.addRemoval(this.id, removal);
    await this.tellTrainerRemovals();
  }

  /** Lets a removed person back in (their identity and their browser). */
  async restore(identity: string): Promise<void> {
    if (!(await this.#store.deleteRemoval(this.id, identity))) throw new TeleclassError('NOT_FOUND', 'Nobody with that identity was removed.');
    for (let i = this.#removedHere.length - 1; i >= 0; i--) if (this.#removedHere[i]!.identity === identity) this.#removedHere.splice(i, 1);
    this.#removalsVersion++;
    await this.tellTrainerRemovals();
  }

  /** Whether this identity, or this browser, was removed while the room was open (see #removedHere). */
  removedHere(identity: string, deviceId: string | null): boolean {
    return this.#removedHere.some((r) => r.identity === identity || (deviceId !== null && r.deviceId === deviceId));
  }

  /** Moves on with every removal and restoration. */
  get removalsVersion(): number {
    return this.#removalsVersion;
  }

  /** Locks or unlocks; unlocking admits everyone waiting. */
  setLocked(locked: boolean): LectureView {
    for (const lobbyId of this.lecture.setLocked(locked)) this.#notify.peer(lobbyId, 'admitted', {});
    return this.lecture.view();
  }

  admit(lobbyId: string): void {
    this.#notify.peer(this.lecture.admit(lobbyId), 'admitted', {});
  }

  /** The trainer (whoever it is once the list is read) gets the list of removed people. */
  async tellTrainerRemovals(): Promise<void> {
    if (!this.lecture.trainer) return;
    const removed = removalViews(await this.#store.listRemovals(this.id));
    const trainer = this.lecture.trainer;
    if (trainer) this.#notify.peer(trainer.id, 'removals', { removed });
  }
}

