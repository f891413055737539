/**
 * Where a participant's join spends its time on the server, step by step (the token check at the
 * handshake, the store's reads, the router's capabilities, the attendance write, the receiving
 * transport, each consume, the transport's DTLS parameters), published on a `node:diagnostics_channel` channel. Nothing is
 * measured or sent unless something subscribed: the benchmark does (bench/teleclass.ts, in the
 * server's process), to print join → first RTP step by step; a production server has no subscriber.
 */
import { channel } from 'node:diagnostics_channel';

export const JOIN_TRACE_CHANNEL = 'teleclass:join-step';

/** One step of one connection's join: `ms` from its start to its end (steps may overlap). */
export interface JoinStep {
  socketId: string;
  step: string;
  ms: number;
}

const steps = channel(JOIN_TRACE_CHANNEL);

/** Times a step of a join; a no-op without a subscriber. */
export type JoinTrace = <T>(step: string, work: Promise<T>) => Promise<T>;

const untraced: JoinTrace = (_step, work) => work;

export function joinTrace(socketId: string): JoinTrace {
  if (!steps.hasSubscribers) return untraced;
  return (step, work) => {
    const started = performance.now();
    const done = () => steps.publish({ socketId, step, ms: performance.now() - started } satisfies JoinStep);
    work.then(done, done);
    return work;
  };
}

export const JOIN_ANSWERED_CHANNEL = 'teleclass:join-answered';

/** A connection's join answered: its participant is in the room, with its media made. */
export interface JoinAnswered {
  socketId: string;
  peerId: string;
}

const answered = channel(JOIN_ANSWERED_CHANNEL);

/**
 * Tells a subscriber (the benchmark, in the server's process) that a join was answered: it starts
 * its counted media leg there, in the same process, as bare mediasoup's starts right after its
 * WebRTC leg. A no-op without a subscriber.
 */
export function joinAnswered(socketId: string, peerId: string): void {
  if (answered.hasSubscribers) answered.publish({ socketId, peerId } satisfies JoinAnswered);
}
