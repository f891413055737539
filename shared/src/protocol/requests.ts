/**
 * Every request: method → { req: payload schema, res: answer schema }. The client emits the
 * method name as a socket.io event with the payload and an ack callback; the server validates the
 * payload, runs the method and acks `Ack<res>`. Types are derived from these schemas only.
 */
import { z } from 'zod';
import {
  displayNameSchema,
  idSchema,
  lectureIdSchema,
  lectureViewSchema,
  mediaKindSchema,
  mediaSourceSchema,
  peerViewSchema,
  producerViewSchema,
  roleSchema,
} from '../domain.js';
import {
  dtlsParametersSchema,
  iceCandidateSchema,
  iceParametersSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './media.js';

const empty = z.object({}).strict();
const transportRef = { transportId: idSchema };

export const requests = {
  /** Enter a lecture. The answer holds all a viewer needs to start receiving. */
  join: {
    req: z.object({ lectureId: lectureIdSchema, role: roleSchema, displayName: displayNameSchema }).strict(),
    res: z.object({
      self: peerViewSchema,
      routerRtpCapabilities: rtpCapabilitiesSchema,
      lecture: lectureViewSchema,
      peers: z.array(peerViewSchema),
      producers: z.array(producerViewSchema),
    }),
  },
  /** A WebRTC transport on the server. A receiving one needs the device's RTP capabilities. */
  createTransport: {
    req: z.discriminatedUnion('direction', [
      z.object({ direction: z.literal('send') }).strict(),
      z.object({ direction: z.literal('recv'), rtpCapabilities: rtpCapabilitiesSchema }).strict(),
    ]),
    res: z.object({
      id: idSchema,
      direction: z.enum(['send', 'recv']),
      iceParameters: iceParametersSchema,
      iceCandidates: z.array(iceCandidateSchema),
      dtlsParameters: dtlsParametersSchema,
    }),
  },
  connectTransport: {
    req: z.object({ ...transportRef, dtlsParameters: dtlsParametersSchema }).strict(),
    res: empty,
  },
  /** New ICE credentials for a transport whose connection failed. */
  restartIce: {
    req: z.object(transportRef).strict(),
    res: z.object({ iceParameters: iceParametersSchema }),
  },
  produce: {
    req: z
      .object({
        ...transportRef,
        kind: mediaKindSchema,
        source: mediaSourceSchema,
        rtpParameters: rtpParametersSchema,
        paused: z.boolean().optional(),
      })
      .strict()
      .refine((r) => (r.source === 'microphone') === (r.kind === 'audio'), {
        message: 'microphone is the only audio source',
        path: ['source'],
      }),
    res: z.object({ producerId: idSchema }),
  },
  pauseProducer: { req: z.object({ producerId: idSchema }).strict(), res: empty },
  resumeProducer: { req: z.object({ producerId: idSchema }).strict(), res: empty },
  closeProducer: { req: z.object({ producerId: idSchema }).strict(), res: empty },
  /** A consumer of a producer, created paused: resume it once the track is set up. */
  consume: {
    req: z.object({ ...transportRef, producerId: idSchema }).strict(),
    res: z.object({
      id: idSchema,
      producerId: idSchema,
      peerId: idSchema,
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      producerPaused: z.boolean(),
    }),
  },
  resumeConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: empty },
  pauseConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: empty },
  closeConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: empty },
  /** Upper bound of the simulcast layers to receive; bandwidth estimation may pick lower. */
  setPreferredLayers: {
    req: z
      .object({
        consumerId: idSchema,
        spatialLayer: z.number().int().min(0).max(7),
        temporalLayer: z.number().int().min(0).max(7).optional(),
      })
      .strict(),
    res: empty,
  },
  /** The size the viewer shows a video at; the server picks the simulcast layer that fits. */
  setViewport: {
    req: z
      .object({
        consumerId: idSchema,
        width: z.number().int().min(0).max(16384),
        height: z.number().int().min(0).max(16384),
      })
      .strict(),
    res: z.object({ spatialLayer: z.number().int() }),
  },
  startLecture: { req: empty, res: lectureViewSchema },
  endLecture: { req: empty, res: lectureViewSchema },
  leave: { req: empty, res: empty },
} as const;

export type Requests = typeof requests;
export type Method = keyof Requests;
export type RequestOf<M extends Method> = z.input<Requests[M]['req']>;
export type ParsedRequestOf<M extends Method> = z.output<Requests[M]['req']>;
export type ResponseOf<M extends Method> = z.output<Requests[M]['res']>;

export const METHODS = Object.keys(requests) as Method[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(requests, name);
}
