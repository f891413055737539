import type { Server as HttpsServer } from 'node:https';
import { Server, type Socket } from 'socket.io';
import { isMethod, METHODS, type Ack, type NotificationName, type NotificationOf } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import { roomName, type Session, type SignalingDeps } from './context.js';
import { handle } from './handle.js';
import { handlers } from './handlers/index.js';
import { leaveLecture } from './handlers/session.js';

/** Largest socket.io message accepted (RTP parameters are a few KB). */
const MAX_MESSAGE_BYTES = 256 * 1024;

type Ackish = (answer: Ack<unknown>) => void;

/** socket.io on the HTTPS server: one Session per socket, requests dispatched through `handle`. */
export function attachSignaling(httpsServer: HttpsServer, deps: SignalingDeps): Server {
  const io = new Server(httpsServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: 10_000,
    pingTimeout: 8_000,
  });
  const sockets = new Map<string, Socket>(); // peerId → socket, for notifications to one peer

  const notify = <N extends NotificationName>(lectureId: string, name: N, data: NotificationOf<N>, exceptPeer?: string) => {
    const except = exceptPeer ? sockets.get(exceptPeer)?.id : undefined;
    const target = io.to(roomName(lectureId));
    (except ? target.except(except) : target).emit(name, data);
  };

  const wire = ({ lecture, media }: LectureRoom) => {
    const id = lecture.id;
    lecture.on('participantjoined', (p) => notify(id, 'participantJoined', p.view(), p.id));
    lecture.on('participantleft', (p) => notify(id, 'participantLeft', { peerId: p.id }));
    lecture.on('statechanged', (view) => notify(id, 'lectureState', view));
    media.on('produceradded', (view) => notify(id, 'producerAdded', view, view.peerId));
    media.on('producerclosed', (producerId) => notify(id, 'producerClosed', { producerId }));
    media.on('producerpaused', (producerId, paused) => notify(id, 'producerPaused', { producerId, paused }));
    media.on('activespeaker', (peerId) => notify(id, 'activeSpeaker', { peerId }));
    media.on('consumerclosed', (peerId, consumerId, producerId) =>
      sockets.get(peerId)?.emit('consumerClosed', { consumerId, producerId }),
    );
  };
  deps.registry.on('roomcreated', wire);

  io.on('connection', (socket) => {
    const session: Session = { socket };
    const log = deps.logger.child({ socketId: socket.id });
    log.debug({ address: socket.handshake.address }, 'socket connected');

    for (const method of METHODS) {
      socket.on(method, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return; // every request must carry an ack
        const before = session.participant?.id;
        void handle(method, payload, ack as Ackish, session, handlers, deps).then(() => {
          const after = session.participant?.id;
          if (before !== after) {
            if (before) sockets.delete(before);
            if (after) sockets.set(after, socket);
          }
        });
      });
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (isMethod(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as Ackish)({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown request "${event.slice(0, 64)}".` } });
      }
    });
    socket.on('disconnect', (reason) => {
      const peerId = session.participant?.id;
      if (peerId) sockets.delete(peerId);
      log.debug({ reason, peerId }, 'socket disconnected');
      leaveLecture(session, deps);
    });
  });
  return io;
}
