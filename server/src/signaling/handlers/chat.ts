import { TeleclassError } from '@teleclass/shared';
import { summarizeAttendance } from '../../store/attendanceSummary.js';
import type { Handler } from '../context.js';
import { chatView } from '../views.js';

/** Everyone may post, within the rate limit; a message may be marked a question. Stored with the lecture. */
export const sendChat: Handler<'sendChat'> = async (session, req, { store, notify, chat }) => {
  const { room, participant } = session;
  if (room.lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED', 'The lecture has ended; its chat is closed.');
  // Per person, per address (fresh identities from one place) and per lecture (many places at once).
  if (!chat.perIdentity.take(participant.identity)) throw new TeleclassError('RATE_LIMITED', 'You are sending messages too fast.');
  if (!chat.perAddress.take(session.address)) throw new TeleclassError('RATE_LIMITED', 'Too many messages from your network; wait a moment.');
  if (!chat.perLecture.take(room.lecture.id)) throw new TeleclassError('RATE_LIMITED', 'The chat is very busy; wait a moment.');
  if (store.countChat(room.lecture.id) >= chat.maxMessages) {
    throw new TeleclassError('LIMIT', `This lecture's chat is full (${chat.maxMessages} messages).`);
  }
  const view = chatView(
    store.addChat({
      lectureId: room.lecture.id,
      authorIdentity: participant.identity,
      authorName: participant.displayName,
      authorRole: participant.role,
      site: participant.site,
      text: req.text,
      isQuestion: req.question ?? false,
    }),
  );
  notify.lecture(room.lecture.id, 'chatMessage', view);
  return view;
};

export const markAnswered: Handler<'markAnswered'> = async ({ room }, req, { store, notify, recordings }) => {
  const record = store.markAnswered(room.lecture.id, req.messageId, Date.now());
  if (!record) throw new TeleclassError('NOT_FOUND', 'No such message in this lecture.');
  if (!record.isQuestion) throw new TeleclassError('INVALID_STATE', 'That message is not a question.');
  const view = chatView(record);
  notify.lecture(room.lecture.id, 'chatUpdated', view);
  recordings.chapter(room.lecture.id, 'answered', { text: record.text });
  return view;
};

/** Who attended and for how long, per person and per site (the trainer's view). */
export const getAttendance: Handler<'getAttendance'> = async ({ room }, _req, { store }) => {
  const records = store.listAttendance(room.lecture.id);
  const sites = store.getLecture(room.lecture.id)?.sites ?? [];
  const summary = summarizeAttendance(records, Date.now(), sites);
  return {
    perPerson: summary.perPerson.map((p) => ({
      identity: p.identity,
      role: p.role,
      name: p.name,
      site: p.site,
      sessions: p.sessions,
      totalSeconds: p.totalSeconds,
      present: p.lastLeftAt === null,
    })),
    perSite: summary.perSite,
  };
};
