import { TeleclassError, type ChatMessageView } from '@teleclass/shared';
import type { Lecture } from './Lecture.js';
import type { Participant } from './Participant.js';
import type { Notifier, RoomStore } from './ports.js';
import type { RateLimiter } from './RateLimiter.js';
import { chatView } from './views.js';

/** Chat is limited per person, per address and per lecture, and a lecture keeps at most so many messages. */
export interface ChatLimits {
  perIdentity: RateLimiter;
  perAddress: RateLimiter;
  perLecture: RateLimiter;
  maxMessages: number;
}

/** How many of the latest messages and changes the room remembers for joins under way (see `since`). */
const RECENT = 200;

/** The lecture's chat: everyone may post within the limits, a message may be a question; stored with the lecture. */
export class RoomChat {
  /** The latest messages sent and changed here, numbered: a join reads the history while more may come. */
  readonly #recent: { seq: number; view: ChatMessageView }[] = [];
  #seq = 0;

  constructor(
    private readonly lecture: Lecture,
    private readonly store: RoomStore,
    private readonly notify: Notifier,
    private readonly limitsOf: () => ChatLimits | undefined,
  ) {}

  /** `address`: where the connection comes from (fresh identities from one place share its limit). */
  async send(participant: Participant, address: string, req: { text: string; question?: boolean | undefined }): Promise<ChatMessageView> {
    const { lecture, store } = this;
    const limits = this.limitsOf();
    if (!limits) throw new TeleclassError('INVALID_STATE', 'Chat is not served on this server.');
    if (lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED', 'The lecture has ended; its chat is closed.');
    // Per person, per address (fresh identities from one place) and per lecture (many places at once).
    if (!limits.perIdentity.take(participant.identity)) throw new TeleclassError('RATE_LIMITED', 'You are sending messages too fast.');
    if (!limits.perAddress.take(address)) throw new TeleclassError('RATE_LIMITED', 'Too many messages from your network; wait a moment.');
    if (!limits.perLecture.take(lecture.id)) throw new TeleclassError('RATE_LIMITED', 'The chat is very busy; wait a moment.');
    const count = await store.countChat(lecture.id);
    // After the await: the lecture may have ended meanwhile.
    if (this.#ended()) throw new TeleclassError('LECTURE_ENDED', 'The lecture has ended; its chat is closed.');
    if (count >= limits.maxMessages) {
      throw new TeleclassError('LIMIT', `This lecture's chat is full (${limits.maxMessages} messages).`);
    }
    const view = chatView(
      await store.addChat({
        lectureId: lecture.id,
        authorIdentity: participant.identity,
        authorName: participant.displayName,
        authorRole: participant.role,
        site: participant.site,
        text: req.text,
        isQuestion: req.question ?? false,
      }),
    );
    this.#remember(view);
    this.notify.lecture(lecture.id, 'chatMessage', view);
    return view;
  }

  /** The trainer marks a question answered; everyone sees it. */
  async markAnswered(messageId: string): Promise<ChatMessageView> {
    const record = await this.store.markAnswered(this.lecture.id, messageId, Date.now());
    if (!record) throw new TeleclassError('NOT_FOUND', 'No such message in this lecture.');
    if (!record.isQuestion) throw new TeleclassError('INVALID_STATE', 'That message is not a question.');
    const view = chatView(record);
    this.#remember(view);
    this.notify.lecture(this.lecture.id, 'chatUpdated', view);
    return view;
  }

  /** Where the room's chat is now: a join takes it before reading the history (see `withRecent`). */
  mark(): number {
    return this.#seq;
  }

  /**
   * The history a join read, with what was sent or changed here since `mark` (it may have missed
   * those: it was not in the room to be told yet), the latest `limit`, oldest first.
   */
  withRecent(history: readonly ChatMessageView[], mark: number, limit: number): ChatMessageView[] {
    const later = this.#recent.filter((r) => r.seq > mark);
    if (later.length === 0) return [...history];
    const byId = new Map(history.map((m) => [m.id, m]));
    for (const { view } of later) byId.set(view.id, view);
    return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt).slice(-limit);
  }

  #ended(): boolean {
    return this.lecture.state === 'ended';
  }

  #remember(view: ChatMessageView): void {
    this.#recent.push({ seq: ++this.#seq, view });
    if (this.#recent.length > RECENT) this.#recent.shift();
  }
}
