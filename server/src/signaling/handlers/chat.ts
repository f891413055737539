import { summarizeAttendance } from '../../store/attendanceSummary.js';
import type { Handler } from '../context.js';

export const sendChat: Handler<'sendChat'> = async (session, req) => session.room.chat.send(session.participant, session.address, req);

/** The recording gets a chapter where a question was answered. */
export const markAnswered: Handler<'markAnswered'> = async ({ room }, req, { recordings }) => {
  const view = await room.chat.markAnswered(req.messageId);
  recordings.chapter(room.id, 'answered', { text: view.text });
  return view;
};

/** Who attended and for how long, per person and per site (the trainer's view). */
export const getAttendance: Handler<'getAttendance'> = async ({ room }, _req, { store }) => {
  const records = await store.listAttendance(room.lecture.id);
  const sites = room.record.sites;
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
