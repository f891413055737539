/**
 * The requests of the floor, moderation and chat: one request each, the answer folded into the
 * snapshot where there is one (the notifications that follow say the same; applying both is
 * harmless). They never reject: a failure is shown through `report` and the result is null/false.
 */
import type { AttendanceSummary, Program, RequestOf, ResponseOf } from '@teleclass/shared';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import { upsertMessage } from './floor.js';
import type { SessionState } from './sessionState.js';
import type { Store } from './Store.js';

export interface ActionLink {
  signaling: SignalingClient;
  store: Store<SessionState>;
  report(error: unknown, what: string): void;
}

type PeerMethod = 'dismissHand' | 'giveFloor' | 'takeFloor' | 'muteParticipant' | 'removeParticipant' | 'admit';
type ActionMethod =
  | PeerMethod
  | 'setLocked'
  | 'restoreParticipant'
  | 'answerFloor'
  | 'recordingLink'
  | 'raiseHand'
  | 'lowerHand'
  | 'sendChat'
  | 'markAnswered'
  | 'getAttendance'
  | 'startRecording'
  | 'stopRecording'
  | 'reportPlayback'
  | 'reportQuality'
  | 'reportPreflight'
  | 'studioFeed'
  | 'setProgram';

export class SessionActions {
  /** The joined connection, or null (not joined, connection lost, left). */
  readonly #link: () => ActionLink | null;

  constructor(link: () => ActionLink | null) {
    this.#link = link;
  }

  /** A classroom's figures of what it receives (the kiosk, every QUALITY_REPORT_SECONDS); failures are not shown. */
  readonly reportQuality = async (stats: RequestOf<'reportQuality'>): Promise<void> => {
    await this.#link()?.signaling.request('reportQuality', stats).catch(() => undefined);
  };

  /** The studio's pre-flight results (before going live); failures are thrown to the caller. */
  readonly reportPreflight = async (result: RequestOf<'reportPreflight'>): Promise<void> => {
    const link = this.#link();
    if (!link) throw new Error('not connected');
    await link.signaling.request('reportPreflight', result);
  };

  // Everyone in the audience
  readonly raiseHand = (): Promise<void> => this.#void('raiseHand', {});
  readonly lowerHand = (): Promise<void> => this.#void('lowerHand', {});
  /** Tells the lecture whether this browser blocks its sound (the studio shows "sound blocked"). */
  readonly reportPlayback = (soundBlocked: boolean): Promise<void> => this.#void('reportPlayback', { soundBlocked });

  // The trainer
  readonly giveFloor = (peerId: string): Promise<void> => this.#void('giveFloor', { peerId });
  readonly takeFloor = (peerId: string): Promise<void> => this.#void('takeFloor', { peerId });
  /** An invited attendee accepts the floor (then sends camera and microphone) or declines it. */
  readonly answerFloor = (accept: boolean): Promise<void> => this.#void('answerFloor', { accept });

  /** After the end: asks for a viewing link to the recording (kept in `recordingUrl`). */
  readonly loadRecordingLink = async (): Promise<void> => {
    const link = this.#link();
    const answer = await link?.signaling.request('recordingLink', {}).catch(() => null);
    if (answer?.url) link?.store.update({ recordingUrl: answer.url });
  };
  readonly dismissHand = (peerId: string): Promise<void> => this.#void('dismissHand', { peerId });
  readonly muteParticipant = (peerId: string): Promise<void> => this.#void('muteParticipant', { peerId });
  readonly removeParticipant = (peerId: string): Promise<void> => this.#void('removeParticipant', { peerId });
  readonly admit = (peerId: string): Promise<void> => this.#void('admit', { peerId });
  /** Lets someone the trainer removed back in (their identity and their browser). */
  readonly restoreParticipant = (identity: string): Promise<void> => this.#void('restoreParticipant', { identity });

  /** New attendees wait in the lobby while locked; unlocking lets everyone waiting in. */
  readonly setLocked = async (locked: boolean): Promise<void> => {
    const lecture = await this.#act('setLocked', { locked });
    if (lecture) this.#link()?.store.update({ lecture });
  };

  /** Records the live lecture on the server; everyone sees REC (`lecture.recordingSince`). True when it runs. */
  readonly startRecording = (): Promise<boolean> => this.#lecture('startRecording');
  /** Ends the recording; the server makes one video of it afterwards. True when it stopped. */
  readonly stopRecording = (): Promise<boolean> => this.#lecture('stopRecording');

  readonly markAnswered = async (messageId: string): Promise<void> => {
    const message = await this.#act('markAnswered', { messageId });
    if (message) this.#link()?.store.update((s) => ({ chat: upsertMessage(s.chat, message) }));
  };

  /** The trainer: where encoders send the studio feed, and what is on air. */
  readonly loadStudioFeed = async (): Promise<void> => {
    const answer = await this.#act('studioFeed', {});
    if (answer) this.#link()?.store.update({ ingest: answer.credentials, studioFeed: { feed: answer.feed, program: answer.program } });
  };
  /** The trainer: the browser's camera and microphone, or the studio feed, on air. */
  readonly setProgram = async (program: Program): Promise<void> => {
    const studioFeed = await this.#act('setProgram', { program });
    if (studioFeed) this.#link()?.store.update({ studioFeed });
  };

  /** Who attended and for how long (null when it failed). */
  readonly getAttendance = (): Promise<AttendanceSummary | null> => this.#act('getAttendance', {});

  // Chat, everyone
  /** Posts a message (a question if asked); true when the server took it. */
  readonly sendChat = async (text: string, question = false): Promise<boolean> => {
    const message = await this.#act('sendChat', question ? { text, question } : { text });
    if (message) this.#link()?.store.update((s) => ({ chat: upsertMessage(s.chat, message) }));
    return message !== null;
  };

  /** A request answered with the lecture's view: folded into the snapshot at once. */
  async #lecture(method: 'startRecording' | 'stopRecording'): Promise<boolean> {
    const lecture = await this.#act(method, {});
    if (lecture) this.#link()?.store.update({ lecture });
    return lecture !== null;
  }

  async #void<M extends ActionMethod>(method: M, payload: RequestOf<M>): Promise<void> {
    await this.#act(method, payload);
  }

  async #act<M extends ActionMethod>(method: M, payload: RequestOf<M>): Promise<ResponseOf<M> | null> {
    const link = this.#link();
    if (!link) return null;
    try {
      return await link.signaling.request(method, payload);
    } catch (error) {
      link.report(error, method);
      return null;
    }
  }
}
