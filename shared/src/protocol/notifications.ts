/** Server → client pushes: event name → payload schema (same style as requests). */
import { z } from 'zod';
import {
  chatMessageViewSchema,
  handViewSchema,
  idSchema,
  lectureViewSchema,
  lobbyViewSchema,
  peerViewSchema,
  producerViewSchema,
  removalViewSchema,
  roleSchema,
  stageViewSchema,
} from '../domain.js';
import { siteHealthSchema } from './sites.js';
import { studioFeedStateSchema } from './ingest.js';
import { receivePrioritySchema } from './priority.js';
import { clusterNotifications } from './cluster.js';

export const notifications = {
  lectureState: lectureViewSchema,
  participantJoined: peerViewSchema,
  participantLeft: z.object({ peerId: idSchema }),
  producerAdded: producerViewSchema,
  producerClosed: z.object({ producerId: idSchema }),
  producerPaused: z.object({ producerId: idSchema, paused: z.boolean() }),
  /** The server closed one of your consumers (its producer went away). */
  consumerClosed: z.object({ consumerId: idSchema, producerId: idSchema }),
  /** Something about a participant changed (e.g. `soundBlocked`): the whole new view. */
  participantUpdated: peerViewSchema,
  /** The loudest microphone now, or null when all are quiet. */
  activeSpeaker: z.object({ peerId: idSchema.nullable() }),
  /** The raised hands, oldest first (sent to everyone on every change). */
  hands: z.object({ hands: z.array(handViewSchema) }),
  /** Who has the floor now. Finding yourself in it means: send camera and microphone. */
  stage: z.object({ stage: z.array(stageViewSchema) }),
  /** Attendees invited to speak, not yet answered. Finding yourself in it means: ask Accept / Decline. */
  invitations: z.object({ invited: z.array(stageViewSchema) }),
  /** To the trainer: an invited attendee declined the floor. */
  floorDeclined: z.object({ peerId: idSchema, displayName: z.string() }),
  /** A producer's media stopped reaching the server (its sender dropped), or came back. */
  producerHealth: z.object({ producerId: idSchema, flowing: z.boolean() }),
  chatMessage: chatMessageViewSchema,
  /** A message changed (e.g. a question was marked answered). */
  chatUpdated: chatMessageViewSchema,
  /**
   * To the trainer: who started and who stopped waiting in the lobby (deltas; the whole list
   * comes with the join answer).
   */
  lobby: z.object({ added: z.array(lobbyViewSchema), removed: z.array(idSchema) }),
  /** To the trainer: who is removed now (after a removal or an undo). */
  removals: z.object({ removed: z.array(removalViewSchema) }),
  /** To a waiting attendee: you may join now (send `join` again). */
  admitted: z.object({}),
  /** To a removed participant, just before the server disconnects it. */
  removed: z.object({
    /** Why, as a kind the page puts in the reader's language (the English `reason` is for logs and old clients). */
    kind: z.enum(['removed', 'deleted']).default('removed'),
    reason: z.string(),
  }),
  /**
   * To a participant its node let in but the lecture's origin refused (the lecture full across the
   * cluster: MAX_PARTICIPANTS counts every node's attendees), just before the server disconnects
   * it: the code a single server's `join` answers (LIMIT). Also to someone its node put in the
   * lobby but the origin's lobby refused (MAX_LOBBY counts every node's waiting people): they are
   * out of the lobby (the connection stays; a new `join` knocks again).
   */
  refused: z.object({ code: z.literal('LIMIT'), message: z.string().max(300) }),
  /** The trainer paused your microphone. */
  mutedByTrainer: z.object({ producerId: idSchema }),
  /**
   * Your transports are gone (the media worker serving them died). Create new transports, then
   * send again what you were sending and consume the current producers; you stay joined.
   */
  mediaReset: z.object({ reason: z.string() }),
  /** Another connection joined with your identity (e.g. the same kiosk reloaded); this one is closed. */
  replaced: z.object({}),
  /**
   * To the trainer: a second connection took over an identity (a classroom's link, or the
   * studio itself, opened in another window); the first was closed.
   */
  takenOver: z.object({ role: roleSchema, displayName: z.string() }),
  /** The link this connection used was rotated by the organiser; this connection is closed. */
  linkRevoked: z.object({}),
  /** To the trainer, every 2 s: each invited classroom's state, quality and alert (the Sites panel). */
  sitesHealth: z.object({ sites: z.array(siteHealthSchema) }),
  /**
   * To a viewer: its link cannot carry everything (or can again), so the trainer's camera is lowered
   * or paused, or the slides slowed; sound is never held back. Sent when the step changes.
   */
  receivePriority: receivePrioritySchema,
  /** The studio feed connected, went on or off air, was interrupted, came back, or its figures changed. */
  studioFeed: studioFeedStateSchema,
  ...clusterNotifications,
} as const;

export type Notifications = typeof notifications;
export type NotificationName = keyof Notifications;
export type NotificationOf<N extends NotificationName> = z.output<Notifications[N]>;
