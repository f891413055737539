import { actor, type Handler } from '../context.js';

export const reportPlayback: Handler<'reportPlayback'> = async (s, req) => {
  s.room.reportPlayback(actor(s), req.soundBlocked);
  return {};
};
