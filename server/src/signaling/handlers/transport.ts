import { TeleclassError } from '@teleclass/shared';
import type { Handler } from '../context.js';

export const createTransport: Handler<'createTransport'> = async ({ room, participant }, req) => {
  if (req.direction === 'send') {
    if (participant.role !== 'trainer' && !room.lecture.onStage(participant.id)) {
      throw new TeleclassError('FORBIDDEN', 'Only the trainer and whoever has the floor send media.');
    }
    return room.media.createTransport(participant.id, 'send');
  }
  return room.media.createTransport(participant.id, 'recv', req.rtpCapabilities);
};

export const connectTransport: Handler<'connectTransport'> = async ({ room, participant }, req) => {
  await room.media.connectTransport(participant.id, req.transportId, req.dtlsParameters);
  return {};
};

export const restartIce: Handler<'restartIce'> = async ({ room, participant }, req) => ({
  iceParameters: await room.media.restartIce(participant.id, req.transportId),
});
