/**
 * Session resume: a participant whose connection dropped keeps its place — itself, its media,
 * the floor, its raised hand and its attendance session — for a grace period
 * (SESSION_RESUME_GRACE_SECONDS), and the same person coming back with its resume token is
 * attached again to it instead of joining from scratch (LiveKit's "resume" before a full
 * reconnect). Only when the grace ends is the participant removed, and its attendance closes at
 * the moment the connection was lost.
 *
 * The token is `<participant>.<lecture>.<nonce>.<hmac>`: signed with a key made at start (a token
 * from before a server restart is refused with the rest), bound to the participant and the
 * lecture, unguessable (256-bit nonce) and good once: every resume answers a new one. One token is
 * pending per participant (the book holds one entry per participant, replaced on each issue).
 * `resume` awaits the store's reads only (removed?, the chat history, a trainer's removals list),
 * then checks everything again and changes the room in one synchronous step.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { TeleclassError, type ResponseOf } from '@teleclass/shared';
import { readStored, roomSnapshot } from './join.js';
import type { LectureRoom } from './LectureRoom.js';
import type { Participant } from './Participant.js';
import type { Attachment } from './ports.js';

export type ResumeOutcome = ResponseOf<'resume'>;

interface Held {
  room: LectureRoom;
  participant: Participant;
  nonce: string;
  /** When its connection was lost (null while it has one). */
  lostAt: number | null;
  timer: NodeJS.Timeout | null;
}

export interface ResumeOptions {
  /** How long a participant without a connection is kept (0: it leaves at once, as before resume existed). */
  graceMs: number;
  /** The room may close now that someone left it for good (LectureRegistry.releaseIfEmpty). */
  released(room: LectureRoom): void;
  now?: () => number;
}

const refused = (why: string) => new TeleclassError('RESUME_REFUSED', `The session cannot be continued: ${why}.`);

export class SessionResumes {
  readonly #key = randomBytes(32);
  readonly #held = new Map<string, Held>();
  readonly #options: ResumeOptions;
  readonly #now: () => number;

  constructor(options: ResumeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get graceMs(): number {
    return this.#options.graceMs;
  }

  /** Participants held without a connection right now (metrics, tests). */
  get waiting(): number {
    let n = 0;
    for (const held of this.#held.values()) if (held.lostAt !== null) n++;
    return n;
  }

  /** A new resume token for a participant that just joined or resumed; any earlier one stops working. */
  issue(room: LectureRoom, participant: Participant): string {
    this.#prune();
    const nonce = randomBytes(32).toString('base64url');
    const previous = this.#held.get(participant.id);
    if (previous?.timer) clearTimeout(previous.timer);
    this.#held.set(participant.id, { room, participant, nonce, lostAt: null, timer: null });
    const body = `${participant.id}.${room.id}.${nonce}`;
    return `${body}.${this.#sign(body)}`;
  }

  /**
   * The participant's connection `via` was lost (`at`): the participant is detached and held
   * until the grace ends, then it leaves with its attendance closed at `at`. Without a grace, an
   * ended lecture, or no token issued, it leaves at once.
   */
  hold(room: LectureRoom, participant: Participant, via: Attachment, at = this.#now()): void {
    room.detach(participant.id, via);
    const held = this.#held.get(participant.id);
    if (this.#options.graceMs <= 0 || !held || held.room !== room || room.closed || room.lecture.state === 'ended') {
      this.#leave(room, participant, at);
      return;
    }
    if (room.attachmentOf(participant.id)) return; // another connection already speaks for it
    held.lostAt = at;
    if (held.timer) clearTimeout(held.timer);
    held.timer = setTimeout(() => {
      if (this.#held.get(participant.id) !== held || held.lostAt === null) return;
      this.#leave(room, participant, at);
    }, this.#options.graceMs);
    held.timer.unref();
  }

  /** The participant left for good by other means (it said goodbye, was let go): its token goes. */
  forget(participantId: string): void {
    const held = this.#held.get(participantId);
    if (held?.timer) clearTimeout(held.timer);
    this.#held.delete(participantId);
  }

  /**
   * Attaches the participant named by `token` to `via`. `lectureId` and `identity` are those of
   * the token the connection presented: a resume token only works for the person it was issued to.
   * The store is read first; everything is checked before and again after that read (the grace may
   * have ended, another resume may have used the token, the lecture may have ended or closed, the
   * person may have been removed, this connection closed or joined), then the participant is
   * attached in one synchronous step.
   */
  async resume(token: string, via: Attachment, who: { lectureId: string; identity: string }): Promise<ResumeOutcome> {
    const [participantId, lectureId, nonce, signature, ...rest] = token.split('.');
    if (!participantId || !lectureId || !nonce || !signature || rest.length > 0) throw refused('the token is not valid');
    if (!safeEqual(signature, this.#sign(`${participantId}.${lectureId}.${nonce}`))) throw refused('the token is not valid');
    if (lectureId !== who.lectureId) throw refused('the token is for another lecture');
    const held = this.#check(participantId, nonce, via, who);
    const { room, participant } = held;
    const stored = await readStored(room, { identity: participant.identity, role: participant.role, deviceId: via.deviceId });

    // ---- after the store's reads: the same entry (not used, not let go meanwhile), everything else again
    if (this.#check(participantId, nonce, via, who) !== held) throw refused('the token was already used');
    if (stored.removed || room.removedHere(participant.identity, via.deviceId)) throw new TeleclassError('REMOVED');

    // A connection the server still thinks alive (a half-open socket) is let go: this one wins.
    const old = room.attachmentOf(participantId);
    if (old) {
      room.detach(participantId, old);
      old.letGo('replaced');
    }
    if (held.timer) clearTimeout(held.timer);
    const awayMs = held.lostAt === null ? 0 : Math.max(0, this.#now() - held.lostAt);
    room.reattach(participant, via);
    room.media.requestKeyFrames(participant.id);
    const resumeToken = this.issue(room, participant);
    return {
      ...roomSnapshot(room, participant, stored),
      self: { ...participant.view(), identity: participant.identity },
      resumeToken,
      awayMs,
      transports: room.media.transportsOf(participant.id),
      consumers: room.media.consumerIdsOf(participant.id),
    };
  }

  /** The held entry a resume with this (verified) token may take over, or the refusal. */
  #check(participantId: string, nonce: string, via: Attachment, who: { identity: string }): Held {
    const held = this.#held.get(participantId);
    if (!held) throw refused('the grace period is over, or the server restarted');
    if (!safeEqual(nonce, held.nonce)) throw refused('the token was already used');
    const { room, participant } = held;
    if (room.closed || room.lecture.participant(participantId) !== participant) {
      this.forget(participantId);
      throw refused('the participant is no longer in the lecture');
    }
    if (participant.identity !== who.identity) throw refused('the token is for someone else');
    if (room.lecture.state === 'ended') throw refused('the lecture has ended');
    if (room.removedHere(participant.identity, via.deviceId)) throw new TeleclassError('REMOVED');
    if (via.closed) throw new TeleclassError('DISCONNECTED');
    if (room.isAttached(via)) throw new TeleclassError('ALREADY_JOINED');
    return held;
  }

  /** Stops every timer (the server closes; whoever is held is closed with the store). */
  close(): void {
    for (const held of this.#held.values()) if (held.timer) clearTimeout(held.timer);
    this.#held.clear();
  }

  #leave(room: LectureRoom, participant: Participant, at: number): void {
    this.forget(participant.id);
    // Already gone (removed, replaced), or the room closed under it (the lecture was deleted).
    if (room.closed || room.lecture.participant(participant.id) !== participant) return;
    room.leave(participant.id, 'disconnected', at);
    this.#options.released(room);
  }

  /** Entries of participants that left some other way (replaced, removed, the room closed). */
  #prune(): void {
    for (const [id, held] of this.#held) {
      if (held.room.closed || held.room.lecture.participant(id) !== held.participant) this.forget(id);
    }
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(`teleclass-resume:${body}`).digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
