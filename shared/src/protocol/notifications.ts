/** Server → client pushes: event name → payload schema (same style as requests). */
import { z } from 'zod';
import { idSchema, lectureViewSchema, peerViewSchema, producerViewSchema } from '../domain.js';

export const notifications = {
  lectureState: lectureViewSchema,
  participantJoined: peerViewSchema,
  participantLeft: z.object({ peerId: idSchema }),
  producerAdded: producerViewSchema,
  producerClosed: z.object({ producerId: idSchema }),
  producerPaused: z.object({ producerId: idSchema, paused: z.boolean() }),
  /** The server closed one of your consumers (its producer went away). */
  consumerClosed: z.object({ consumerId: idSchema, producerId: idSchema }),
  /** The loudest microphone now, or null when all are quiet. */
  activeSpeaker: z.object({ peerId: idSchema.nullable() }),
} as const;

export type Notifications = typeof notifications;
export type NotificationName = keyof Notifications;
export type NotificationOf<N extends NotificationName> = z.output<Notifications[N]>;
