/** The studio feed: ingest credentials (WHIP, RTMP, SRT) and what is on air. */
import { z } from 'zod';

export { FEED_PEER_ID } from '../limits.js';

export const feedProtocolSchema = z.enum(['whip', 'rtmp', 'srt']);
export type FeedProtocol = z.infer<typeof feedProtocolSchema>;

/** Where an encoder sends the lecture's program, laid out as OBS asks for it. */
export const ingestCredentialsSchema = z.object({
  /** OBS: Service "WHIP", Server = url, Bearer Token = token. */
  whip: z.object({ url: z.string(), token: z.string() }),
  /** OBS/vMix/hardware: Server = url, Stream Key = streamKey. */
  rtmp: z.object({ url: z.string(), streamKey: z.string() }),
  /** SRT caller URL with the stream id and passphrase in it (left out when SRT is off). */
  srt: z.object({ url: z.string() }).optional(),
});
export type IngestCredentials = z.infer<typeof ingestCredentialsSchema>;

/** What the studio feed is doing; `onAir`: it is the lecture's program (the trainer's camera and sound). */
export const feedViewSchema = z.object({
  protocol: feedProtocolSchema,
  /** live: media arrives; interrupted: it stopped arriving (viewers keep the last frame). */
  state: z.enum(['live', 'interrupted']),
  onAir: z.boolean(),
  since: z.number(),
  videoCodec: z.string().nullable(),
  /** Picture size and rate where the server knows them (RTMP/SRT); null otherwise. */
  width: z.number().nullable(),
  height: z.number().nullable(),
  fps: z.number().nullable(),
  /** Bits per second received, all streams of the feed. */
  bitrate: z.number(),
});
export type FeedView = z.infer<typeof feedViewSchema>;

/** The program: the browser's camera and microphone, or the studio feed. */
export const programSchema = z.enum(['browser', 'feed']);
export type Program = z.infer<typeof programSchema>;

export const studioFeedStateSchema = z.object({ feed: feedViewSchema.nullable(), program: programSchema });
export type StudioFeedState = z.infer<typeof studioFeedStateSchema>;
