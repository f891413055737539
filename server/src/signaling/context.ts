import type { Socket } from 'socket.io';
import type { Method, ParsedRequestOf, ResponseOf } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import type { Participant } from '../lecture/Participant.js';
import type { Logger } from '../logger.js';

/** What the signaling layer knows of one socket. */
export interface Session {
  readonly socket: Socket;
  room?: LectureRoom;
  participant?: Participant;
}

export interface JoinedSession extends Session {
  room: LectureRoom;
  participant: Participant;
}

export interface SignalingDeps {
  registry: LectureRegistry;
  logger: Logger;
}

export type Handler<M extends Method> = (
  session: M extends 'join' ? Session : JoinedSession,
  req: ParsedRequestOf<M>,
  deps: SignalingDeps,
) => Promise<ResponseOf<M>>;

export type Handlers = { [M in Method]: Handler<M> };

export const roomName = (lectureId: string) => `lecture:${lectureId}`;
