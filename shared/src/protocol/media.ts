/**
 * zod schemas of the mediasoup parameters that cross the wire. They bound sizes and shapes;
 * mediasoup checks the semantics itself.
 */
import { z } from 'zod';

const str = (max = 256) => z.string().max(max);
const num = z.number().finite();
/** Codec parameters (`profile-level-id`, `useinbandfec` …): strings or numbers, few of them. */
const params = z
  .record(str(64), z.unknown())
  .refine((r) => Object.keys(r).length <= 32, 'too many parameters')
  .refine((r) => Object.values(r).every((v) => typeof v === 'number' || (typeof v === 'string' && v.length <= 256)), 'parameters are strings or numbers');

const rtcpFeedback = z.object({ type: str(32), parameter: str(32).optional() });

export const rtpCodecParametersSchema = z.looseObject({
  mimeType: str(64),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: params.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
});

export const rtpEncodingSchema = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: str(32).optional(),
  codecPayloadType: z.number().int().optional(),
  rtx: z.object({ ssrc: z.number().int().nonnegative() }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: str(16).optional(),
  scaleResolutionDownBy: num.optional(),
  maxBitrate: num.optional(),
  maxFramerate: num.optional(),
  adaptivePtime: z.boolean().optional(),
  priority: str(16).optional(),
  networkPriority: str(16).optional(),
});

const headerExtensionParameters = z.looseObject({
  uri: str(),
  id: z.number().int().min(1).max(255),
  encrypt: z.boolean().optional(),
  parameters: params.optional(),
});

export const rtpParametersSchema = z.looseObject({
  mid: str(32).optional(),
  codecs: z.array(rtpCodecParametersSchema).min(1).max(16),
  headerExtensions: z.array(headerExtensionParameters).max(32).optional(),
  encodings: z.array(rtpEncodingSchema).max(8).optional(),
  rtcp: z
    .looseObject({ cname: str(128).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() })
    .optional(),
  msid: str().optional(),
});

const rtpCodecCapability = z.looseObject({
  kind: z.enum(['audio', 'video']),
  mimeType: str(64),
  preferredPayloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: params.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
});

export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(rtpCodecCapability).max(64).optional(),
  headerExtensions: z
    .array(
      z.looseObject({
        kind: z.enum(['audio', 'video']),
        uri: str(),
        preferredId: z.number().int(),
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(64)
    .optional(),
});

export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        /** Colon-separated hex bytes, as in SDP's a=fingerprint (RFC 8122), e.g. `AB:CD:…`. */
        value: z
          .string()
          .max(256)
          .regex(/^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*$/, 'must be colon-separated hex bytes (AB:CD:…)'),
      }),
    )
    .min(1)
    .max(8),
});

export const iceParametersSchema = z.looseObject({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});

export const iceCandidateSchema = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  ip: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number(),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});
