import { actor, type Handler } from '../context.js';

/** A viewer's "audio and slides only" (its weak-link policy keeps the cameras paused), or everything again. */
export const setReceiveMode: Handler<'setReceiveMode'> = async (s, req) => s.room.streams.setReceiveMode(actor(s), req.audioSlidesOnly);
