/**
 * The internal API between the nodes of a cluster for the media cascade (server/src/http/
 * internalCascade.ts serves it, InternalClient calls it). Every body is checked with these
 * schemas on arrival; mediasoup checks the RTP semantics itself.
 */
import { idSchema, mediaKindSchema, mediaSourceSchema, rtpParametersSchema } from '@teleclass/shared';
import { z } from 'zod';

const nodeId = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'a node id');

export const pipeEndpointSchema = z.object({
  ip: z.string().min(2).max(64),
  port: z.number().int().min(1).max(65535),
  srtpParameters: z.object({
    cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
    keyBase64: z.string().min(16).max(128),
  }),
});

/** POST /internal/cascade/links: a downstream node asks for a pipe of one lecture. */
export const openLinkSchema = z.object({ lectureId: idSchema, endpoint: pipeEndpointSchema });
/** The answer: the upstream's end of the pipe and its chain up to the origin (itself first), for loop checks. */
export const linkOpenedSchema = z.object({ linkId: z.string().min(1).max(64), endpoint: pipeEndpointSchema, ancestors: z.array(nodeId).max(32) });

export const pipedProducerSchema = z.object({
  id: idSchema,
  kind: mediaKindSchema,
  rtpParameters: rtpParametersSchema,
  paused: z.boolean(),
  peerId: idSchema,
  source: mediaSourceSchema,
});

export const consumeSchema = z.object({ producerId: idSchema });
export const pauseSchema = z.object({ paused: z.boolean() });

/** One event of GET /internal/cascade/links/:linkId/events (server-sent events). */
export const cascadeEventSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('added'), id: idSchema }),
  z.object({ op: z.literal('closed'), id: idSchema }),
  z.object({ op: z.literal('paused'), id: idSchema, paused: z.boolean() }),
]);
export type CascadeEvent = z.infer<typeof cascadeEventSchema>;

export const errorAnswerSchema = z.object({ error: z.object({ code: z.string().max(32), message: z.string().max(500) }) });

/** Largest request and answer body of the internal API (an RTP parameters object is a few kB). */
export const MAX_INTERNAL_BODY = 64 * 1024;
/** How long a node waits for another's answer. */
export const INTERNAL_TIMEOUT_MS = 5_000;
/** The event stream's keep-alive; the downstream gives up on a stream silent for three of them. */
export const EVENT_PING_MS = 2_000;
