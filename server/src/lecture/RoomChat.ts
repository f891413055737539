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

/** The lecture's chat: everyone may post within the limits, a message may be a question; stored with the lecture. */
export class RoomChat {
  constructor(
    private readonly lecture: Lecture,
    private readonly store: RoomStore,
    private readonly notify: Notifier,
    private readonly limitsOf: () => ChatLimits | undefined,
  ) {}

  /** `address`: where the connection comes from (fresh identities from one place share its limit). */
  send(participant: Participant, address: string, req: { text: string; question?: boolean | undefined }): ChatMessageView {
    const { lecture, store } = this;
    const limits = this.limitsOf();
    if (!limits) throw new TeleclassError('INVALID_STATE', 'Chat is not served on this server.');
    if (lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED', 'The lecture has ended; its chat is closed.');
    // Per person, per address (fresh identities from one place) and per lecture (many places at once).
    if (!limits.perIdentity.take(participant.identity)) throw new TeleclassError('RATE_LIMITED', 'You are sending messages too fast.');
    if (!limits.perAddress.take(address)) throw new TeleclassError('RATE_LIMITED', 'Too many messages from your network; wait a moment.');
    if (!limits.perLecture.take(lecture.id)) throw new TeleclassError('RATE_LIMITED', 'The chat is very busy; wait a moment.');
    if (store.countChat(lecture.id) >= limits.maxMessages) {
      throw new TeleclassError('LIMIT', `This lecture's chat is full (${limits.maxMessages} messages).`);
    }
    const view = chatView(
      store.addChat({
        lectureId: lecture.id,
        authorIdentity: participant.identity,
        authorName: participant.displayName,
        authorRole: participant.role,
        site: participant.site,
        text: req.text,
        isQuestion: req.question ?? false,
      }),
    );
    this.notify.lecture(lecture.id, 'chatMessage', view);
    return view;
  }

  /** The trainer marks a question answered; everyone sees it. */
  markAnswered(messageId: string): ChatMessageView {
    const record = this.store.markAnswered(this.lecture.id, messageId, Date.now());
    if (!record) throw new TeleclassError('NOT_FOUND', 'No such message in this lecture.');
    if (!record.isQuestion) throw new TeleclassError('INVALID_STATE', 'That message is not a question.');
    const view = chatView(record);
    this.notify.lecture(this.lecture.id, 'chatUpdated', view);
    return view;
  }
}
