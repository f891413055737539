import type { PeerView } from '@teleclass/shared';
import type { Lecture } from './Lecture.js';
import type { Participant } from './Participant.js';

/**
 * Who hears of whom (as in a webinar: Jitsi's visitors, Zoom's attendees). The trainer and the
 * classrooms hear of every participant come, change and go. An attendee hears of the trainer and
 * the classrooms, and of another attendee only once that one has been shown to the lecture: given
 * the floor or invited to it, or sending media. Attendees at home never list each other, and
 * telling each of N attendees of every other made each join cost N notifications (a lecture of
 * 450 filling up: about 100,000 socket writes on the server and as many reads on the viewers'
 * side, which held every join behind them). The lecture's counts reach everyone with a change of
 * its state, and the trainer and the classrooms also when only they change (`lectureState`, see
 * signaling/wiring.ts).
 */
export class Presence {
  readonly #lecture: Lecture;
  /** Attendees shown to everyone (until they leave). */
  readonly #shown = new Set<string>();

  constructor(lecture: Lecture) {
    this.#lecture = lecture;
  }

  /** Whether everyone in the lecture hears of `p`. */
  isPublic(p: Participant): boolean {
    return p.role !== 'attendee' || this.#shown.has(p.id);
  }

  /** Shows `p` to everyone from now on; true when it was not shown yet (the caller tells everyone). */
  show(p: Participant): boolean {
    if (this.isPublic(p)) return false;
    this.#shown.add(p.id);
    return true;
  }

  /** `p` left the lecture. */
  forget(peerId: string): void {
    this.#shown.delete(peerId);
  }

  /** Those who hear of every participant: the trainer and the classrooms. */
  watchers(): Participant[] {
    return this.#lecture.participants.filter((p) => p.role !== 'attendee');
  }

  /** The people `viewer` is told of (the `peers` of its join or resume answer). */
  peersFor(viewer: Participant): PeerView[] {
    const all = viewer.role !== 'attendee';
    return this.#lecture.participants.filter((p) => p !== viewer && (all || this.isPublic(p))).map((p) => p.view());
  }
}
