import { EventEmitter } from 'node:events';
import { TeleclassError, type LectureState, type LectureView } from '@teleclass/shared';
import type { Participant } from './Participant.js';

export type LectureEvents = {
  participantjoined: [Participant];
  participantleft: [Participant];
  statechanged: [LectureView];
};

/**
 * One lecture as a state machine: waiting → live → ended. The trainer may go live again after
 * an end (the same link is reused for the next session). One trainer at a time.
 */
export class Lecture extends EventEmitter<LectureEvents> {
  #state: LectureState = 'waiting';
  #startedAt: number | null = null;
  #endedAt: number | null = null;
  readonly #participants = new Map<string, Participant>();

  constructor(readonly id: string) {
    super();
  }

  get state(): LectureState {
    return this.#state;
  }

  get participants(): Participant[] {
    return [...this.#participants.values()];
  }

  get isEmpty(): boolean {
    return this.#participants.size === 0;
  }

  get trainer(): Participant | undefined {
    return this.participants.find((p) => p.role === 'trainer');
  }

  participant(id: string): Participant | undefined {
    return this.#participants.get(id);
  }

  view(): LectureView {
    const count = (role: Participant['role']) => this.participants.filter((p) => p.role === role).length;
    return {
      id: this.id,
      state: this.#state,
      startedAt: this.#startedAt,
      endedAt: this.#endedAt,
      counts: { trainers: count('trainer'), sites: count('site'), attendees: count('attendee') },
    };
  }

  join(participant: Participant): void {
    if (participant.role === 'trainer' && this.trainer) throw new TeleclassError('TRAINER_PRESENT');
    this.#participants.set(participant.id, participant);
    this.emit('participantjoined', participant);
    this.emit('statechanged', this.view());
  }

  leave(participantId: string): void {
    const participant = this.#participants.get(participantId);
    if (!participant) return;
    this.#participants.delete(participantId);
    this.emit('participantleft', participant);
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
    this.#state = 'ended';
    this.#endedAt = Date.now();
    const view = this.view();
    this.emit('statechanged', view);
    return view;
  }
}
