import type { Handler } from '../context.js';

export const startLecture: Handler<'startLecture'> = async ({ room }) => room.lecture.start();

/** Ends the lecture for everyone: its state goes to `ended` and every stream stops. */
export const endLecture: Handler<'endLecture'> = async ({ room }) => {
  const view = room.lecture.end();
  room.media.closeAllProducers();
  return view;
};
