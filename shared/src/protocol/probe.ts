/**
 * The pre-flight network test against the SFU (README: Pre-flight): a short-lived WebRTC send
 * transport on a probe router, opened with the kiosk's token (POST /api/kiosk/<siteId>/probe) or
 * the trainer's link token (POST /api/studio/<lectureId>/probe), then /<probeId>/connect,
 * /<probeId>/produce and /<probeId>/finish (the server's figures; the probe is closed).
 */
import { z } from 'zod';
import { mediaKindSchema } from '../domain.js';
import { dtlsParametersSchema, iceCandidateSchema, iceParametersSchema, rtpCapabilitiesSchema, rtpParametersSchema } from './media.js';

/** A probe's id as the server hands it out (a UUID); anything else is refused before any lookup. */
export const probeIdSchema = z.uuid();

/** POST …/probe (201): what mediasoup-client needs to load a Device and make the send transport. */
export const probeStartSchema = z.object({
  probeId: probeIdSchema,
  routerRtpCapabilities: rtpCapabilitiesSchema,
  transport: z.object({
    id: z.string(),
    iceParameters: iceParametersSchema,
    iceCandidates: z.array(iceCandidateSchema),
    dtlsParameters: dtlsParametersSchema,
  }),
  /** The server closes the probe this long after it was opened, finished or not (PROBE_MAX_SECONDS). */
  expiresInMs: z.number(),
});
export type ProbeStart = z.infer<typeof probeStartSchema>;

/** POST …/probe/<probeId>/connect */
export const probeConnectRequestSchema = z.strictObject({ dtlsParameters: dtlsParametersSchema });

/** POST …/probe/<probeId>/produce → `{ id }`: one audio and one video stream at most. */
export const probeProduceRequestSchema = z.strictObject({ kind: mediaKindSchema, rtpParameters: rtpParametersSchema });
export const probeProduceAnswerSchema = z.object({ id: z.string() });

/** POST …/probe/<probeId>/finish: what the SFU received, from its transport's and producers' stats. */
export const probeFiguresSchema = z.object({
  /** From the first produce (or DTLS connected, if later) to finish, s. */
  seconds: z.number(),
  /** Bytes the transport received in that time (RTP, RTCP, DTLS, ICE). */
  bytesReceived: z.number(),
  /** bytesReceived over seconds, kbit/s (null: nothing produced). */
  bitrateKbps: z.number().nullable(),
  /** RTP packets received and lost (sequence-number gaps) over all the probe's streams. */
  packetsReceived: z.number(),
  packetsLost: z.number(),
  /** packetsLost / (packetsReceived + packetsLost), % (null: no packet arrived). */
  lossPct: z.number().nullable(),
});
export type ProbeFigures = z.infer<typeof probeFiguresSchema>;
