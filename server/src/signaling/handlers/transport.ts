import { joinTrace } from '../../lecture/joinTrace.js';
import { actor, type Handler } from '../context.js';

export const createTransport: Handler<'createTransport'> = async (s, req) =>
  joinTrace(s.socket.id)(`createTransport ${req.direction} (server)`, s.room.streams.createTransport(actor(s), req));

export const connectTransport: Handler<'connectTransport'> = async (s, req) => {
  await joinTrace(s.socket.id)('connectTransport (server)', s.room.streams.connectTransport(actor(s), req));
  return {};
};

export const restartIce: Handler<'restartIce'> = async (s, req) => s.room.streams.restartIce(actor(s), req.transportId);
