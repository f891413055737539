import { TeleclassError } from '@teleclass/shared';
import { SENDING_ROLES } from '../../lecture/permissions.js';
import type { Handler } from '../context.js';

export const createTransport: Handler<'createTransport'> = async ({ room, participant }, req) => {
  if (req.direction === 'send') {
    if (!SENDING_ROLES.includes(participant.role)) throw new TeleclassError('FORBIDDEN', 'Your role does not send media.');
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
