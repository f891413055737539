/**
 * The room's requests between nodes (cluster/roomLink.ts, roomEdge.ts, roomOrigin.ts), over the signed bus (cluster/bus.ts):
 * each payload is checked by its schema on arrival (a bad one is answered BAD_REQUEST).
 */
import { z } from 'zod';
import { handViewSchema, idSchema, lectureViewSchema, lobbyViewSchema, peerViewSchema, stageViewSchema, TeleclassError } from '@teleclass/shared';

/** A participant as the nodes tell each other: its view, its identity and the node it is connected to. */
export const roomPeerSchema = peerViewSchema.extend({ identity: z.string().min(1).max(300), node: z.string().min(1).max(100) });

/** Someone waiting in the lobby of a locked lecture, with the identity an admission lets in and the node they wait on. */
export const roomWaitingSchema = lobbyViewSchema.extend({
  displayName: z.string().max(300),
  identity: z.string().min(1).max(300),
  node: z.string().min(1).max(100),
});

export const roomStateSchema = z.object({
  lecture: lectureViewSchema,
  peers: z.array(roomPeerSchema).max(20_000),
  hands: z.array(handViewSchema).max(20_000),
  stage: z.array(stageViewSchema).max(1_000),
  invited: z.array(stageViewSchema).max(1_000),
  /** Every node's waiting people (MAX_LOBBY caps them on the origin). */
  lobby: z.array(roomWaitingSchema).max(100_000).default([]),
});

/** A use-case an edge forwards to the lecture's origin (the origin runs it on the one room). */
export const roomOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.enum(['raiseHand', 'lowerHand', 'giveFloor', 'takeFloor', 'dismissHand', 'mute', 'remove']), peerId: idSchema }),
  z.object({ op: z.literal('answerFloor'), peerId: idSchema, accept: z.boolean() }),
  z.object({ op: z.literal('soundBlocked'), peerId: idSchema, blocked: z.boolean() }),
  z.object({ op: z.enum(['start', 'end']) }),
  /** The trainer's recording: the origin records (it holds the studio's streams and the room's REC). */
  z.object({ op: z.enum(['startRecording', 'stopRecording']) }),
  z.object({ op: z.literal('setLocked'), locked: z.boolean() }),
  /** The trainer admits someone waiting (`peerId`: the lobby id), on whichever node they wait. */
  z.object({ op: z.literal('admit'), peerId: idSchema }),
]);
export type RoomOp = z.infer<typeof roomOpSchema>;

const lectureId = idSchema;

export const roomMessages = {
  /** edge → origin: this node's participants of the lecture (all of them: what the origin had of this node is replaced). */
  register: z.object({ lectureId, peers: z.array(roomPeerSchema).max(20_000), lobby: z.array(roomWaitingSchema).max(100_000).default([]) }),
  /** edge → origin: one participant joined this node (idempotency key: its id). */
  joined: z.object({ lectureId, peer: roomPeerSchema }),
  /** edge → origin: one participant left this node. */
  left: z.object({ lectureId, peerId: idSchema }),
  /** edge → origin: someone started waiting in this node's lobby (idempotency key: the lobby id). */
  knock: z.object({ lectureId, entry: roomWaitingSchema }),
  /** edge → origin: someone stopped waiting on this node (joined, left, or was admitted). */
  unknock: z.object({ lectureId, lobbyId: idSchema }),
  /** origin → the node someone waits on: the trainer admitted them (they are told there, and join there). */
  admit: z.object({ lectureId, lobbyId: idSchema }),
  /** edge → origin: this node closed its copy of the room (nobody of its own left). */
  bye: z.object({ lectureId }),
  /** edge → origin: a use-case of the room. */
  op: z.object({ lectureId, op: roomOpSchema }),
  /** origin → edge: the room now (`seq` grows with each change; `epoch` is the origin's room instance). */
  state: z.object({ lectureId, epoch: z.string().min(1).max(100), seq: z.number().int().nonnegative(), state: roomStateSchema }),
  /** origin → edge, every ROOM_DIGEST_MS: the state's number, so an edge that missed a state asks again. */
  digest: z.object({ lectureId, epoch: z.string().min(1).max(100), seq: z.number().int().nonnegative() }),
  /** origin → the node a participant is connected to: act on that participant there. */
  peer: z.object({ lectureId, peerId: idSchema, op: z.enum(['mute', 'remove', 'replaced']) }),
};

export type RoomMessage = keyof typeof roomMessages;

export function parseRoomMessage<M extends RoomMessage>(method: M, payload: unknown): z.infer<(typeof roomMessages)[M]> {
  const parsed = roomMessages[method].safeParse(payload);
  if (!parsed.success) throw new TeleclassError('BAD_REQUEST', `room.${method}: ${parsed.error.issues[0]?.message ?? 'invalid payload'}`.slice(0, 300));
  return parsed.data as z.infer<(typeof roomMessages)[M]>;
}

/** The answer to `register`: the room as the origin holds it once this node's participants are in it. */
export interface Registered {
  epoch: string;
  seq: number;
  state: z.infer<typeof roomStateSchema>;
  /** This node's participants the origin did not take (the lecture full cluster-wide). */
  refused: string[];
  /** This node's waiting people the origin's lobby did not take (MAX_LOBBY reached cluster-wide). */
  refusedLobby?: string[];
}
