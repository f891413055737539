/**
 * Every request: method → { req: payload schema, res: answer schema }. The client emits the
 * method name as a socket.io event with the payload and an ack callback; the server validates the
 * payload, runs the method and acks `Ack<res>`. Types are derived from these schemas only.
 */
import { z } from 'zod';
import {
  attendanceSummarySchema,
  CHAT_MAX_LENGTH,
  chatMessageViewSchema,
  displayNameSchema,
  handViewSchema,
  idSchema,
  lectureViewSchema,
  lobbyViewSchema,
  mediaKindSchema,
  removalViewSchema,
  mediaSourceSchema,
  peerViewSchema,
  producerViewSchema,
  stageViewSchema,
} from '../domain.js';
import {
  dtlsParametersSchema,
  iceCandidateSchema,
  iceParametersSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './media.js';
import { kioskStatsSchema, preflightResultSchema } from './sites.js';
import { ingestCredentialsSchema, programSchema, studioFeedStateSchema } from './ingest.js';
import { receivePrioritySchema } from './priority.js';

/** No payload (extra fields are refused) … */
const empty = z.object({}).strict();
/** … and no answer (extra fields are tolerated, so answers can grow). */
const ok = z.object({});
const transportRef = { transportId: idSchema };
const peerRef = z.object({ peerId: idSchema }).strict();
/** A WebRTC transport on the server, as mediasoup-client's createSend/RecvTransport takes it. */
const transportSchema = z.object({
  id: idSchema,
  direction: z.enum(['send', 'recv']),
  iceParameters: iceParametersSchema,
  iceCandidates: z.array(iceCandidateSchema),
  dtlsParameters: dtlsParametersSchema,
});
/** A consumer on the server, as mediasoup-client's `transport.consume()` takes it (with what the page shows). */
const consumerSchema = z.object({
  /** false: created sending (`resume: true`); true: resume it with `resumeConsumer`. */
  paused: z.boolean().default(true),
  id: idSchema,
  producerId: idSchema,
  peerId: idSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  rtpParameters: rtpParametersSchema,
  producerPaused: z.boolean(),
});

export const requests = {
  /**
   * The router's RTP capabilities, asked before joining (the page asks it as it loads, beside the
   * name screen), so the mediasoup-client Device is loaded before the join press and `join` can
   * carry the device's own capabilities. Every router of every node offers the same codecs, so
   * the answer needs no lecture room (nothing is opened for it). Before joining only.
   */
  routerCapabilities: { req: empty, res: z.object({ routerRtpCapabilities: rtpCapabilitiesSchema }) },
  /**
   * A viewer's receiving transport opened before joining (a site's or an attendee's page, as it
   * loads, once its device is loaded), and with `dtlsParameters` (the page's own certificate) also
   * connected: the `join` that follows with `openRecv` takes it over (its `recvTransport`, and
   * `recvConnected` when it was connected), so the worker's transport and its connect are done
   * while the name screen shows, not after the press. One per connection (INVALID_STATE while one
   * is open); at most the lecture's MAX_PARTICIPANTS open at once (LIMIT); FORBIDDEN for the
   * studio; INVALID_STATE for an ended lecture. It goes when the connection closes or resumes, when
   * the join does not ask for `openRecv`, and after PREPARED_RECV_SECONDS unused. Any refusal only
   * means the join opens one as before. Before joining only.
   */
  prepareRecv: {
    req: z.object({ rtpCapabilities: rtpCapabilitiesSchema, dtlsParameters: dtlsParametersSchema.optional() }).strict(),
    res: z.object({ transportId: z.string() }),
  },
  /**
   * Enter the lecture the connection's token is for; role and identity come from the token. A
   * shared attendee link needs the name the person typed; the answer then carries a personal
   * `sessionToken` to reconnect with. In a locked lecture an attendee first waits in the lobby
   * (`status: 'lobby'`) and joins again when the `admitted` notification comes.
   * With `openRecv: true` the server also opens the participant's receiving transport, beside the
   * attendance write the answer waits for anyway, and answers it as `recvTransport` (null when it
   * did not: a lobby, an ended lecture, a media failure — then `createTransport` as before): one
   * round trip less on a viewer's join. Its RTP capabilities, which the device only knows once
   * loaded with `routerRtpCapabilities`, then come with the first `consume` on it — unless the
   * join carries them (`rtpCapabilities`, the device loaded beforehand from `routerCapabilities`):
   * then the answer also carries `consumers`, one per stream of someone else that exists as the
   * person enters (those of `producers`), created sending on `recvTransport` (as `consume
   * { resume: true }`: nothing flows before its DTLS, and mediasoup asks the sender for a key
   * frame when it connects); the page sets them up locally, with no request. A stream missing
   * there (it ended meanwhile, a cap, a failure) is consumed as before; so are later ones.
   * With `dtlsParameters` too (the page's own DTLS certificate, made as it loads and given to the
   * transport's RTCPeerConnection, so its fingerprint is known before any SDP), the server also
   * connects `recvTransport` with them and answers `recvConnected: true`: the transport's
   * `connect` needs no `connectTransport` round trip, so the browser starts ICE and DTLS as soon
   * as it has set the consumers up. `recvConnected: false` (not asked, or the connect failed):
   * `connectTransport` as before. Ignored without `openRecv`.
   */
  join: {
    req: z
      .object({
        displayName: displayNameSchema.optional(),
        openRecv: z.boolean().optional(),
        rtpCapabilities: rtpCapabilitiesSchema.optional(),
        dtlsParameters: dtlsParametersSchema.optional(),
      })
      .strict(),
    res: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('joined'),
        self: peerViewSchema.extend({ identity: z.string() }),
        sessionToken: z.string().nullable(),
        /**
         * The router's RTP capabilities; null when the join carried the device's own
         * (`rtpCapabilities`: the device was loaded with them from `routerCapabilities`).
         */
        routerRtpCapabilities: rtpCapabilitiesSchema.nullable(),
        /** The receiving transport asked for with `openRecv` (null: not asked, or not opened). */
        recvTransport: transportSchema.nullable().default(null),
        /** `recvTransport` was connected with the join's `dtlsParameters`: no `connectTransport` for it. */
        recvConnected: z.boolean().default(false),
        /** Made with the join (`openRecv` with `rtpCapabilities`) on `recvTransport`, sending; else empty. */
        consumers: z.array(consumerSchema).default([]),
        lecture: lectureViewSchema,
        peers: z.array(peerViewSchema),
        producers: z.array(producerViewSchema),
        hands: z.array(handViewSchema),
        stage: z.array(stageViewSchema),
        chat: z.array(chatMessageViewSchema),
        /** Attendees invited to speak who have not answered yet. */
        invited: z.array(stageViewSchema).default([]),
        /** Only the trainer sees the lobby; empty for everyone else. */
        lobby: z.array(lobbyViewSchema),
        /** Only the trainer sees who was removed; empty for everyone else. */
        removed: z.array(removalViewSchema).default([]),
        /**
         * This browser's device token (signed by the server): keep it (localStorage) and send it
         * as `auth.device` on every connection. A removal covers the browser it names.
         */
        deviceToken: z.string().nullable().default(null),
        /**
         * Continues this very participant on a later connection (`resume`) within the server's
         * grace period (SESSION_RESUME_GRACE_SECONDS). Good for one resume; each resume answers a new one.
         */
        resumeToken: z.string().nullable().default(null),
      }),
      z.object({
        status: z.literal('lobby'),
        lecture: lectureViewSchema,
        sessionToken: z.string().nullable(),
        deviceToken: z.string().nullable().default(null),
      }),
    ]),
  },
  /**
   * The first request on a new connection after the old one was lost: the same participant, its
   * transports, producers and consumers, floor, hand and attendance session continue if the
   * server still holds them (within SESSION_RESUME_GRACE_SECONDS of the loss). The answer is the
   * lecture as it is now, which of the participant's transports still exist (and their ICE and
   * DTLS state as the server sees them) and a new resume token. Refused with RESUME_REFUSED
   * (grace over, lecture ended, token bad or used, removed, the server restarted): join instead.
   */
  resume: {
    req: z.object({ resumeToken: z.string().min(1).max(512) }).strict(),
    res: z.object({
      self: peerViewSchema.extend({ identity: z.string() }),
      resumeToken: z.string(),
      /** How long the server held the participant without a connection. */
      awayMs: z.number().int().nonnegative(),
      lecture: lectureViewSchema,
      peers: z.array(peerViewSchema),
      producers: z.array(producerViewSchema),
      hands: z.array(handViewSchema),
      stage: z.array(stageViewSchema),
      invited: z.array(stageViewSchema).default([]),
      chat: z.array(chatMessageViewSchema),
      lobby: z.array(lobbyViewSchema),
      removed: z.array(removalViewSchema).default([]),
      transports: z.array(
        z.object({
          id: idSchema,
          direction: z.enum(['send', 'recv']),
          iceState: z.string(),
          dtlsState: z.string(),
        }),
      ),
      /** The participant's consumers the server still has (one it closed while away is gone here). */
      consumers: z.array(idSchema).default([]),
    }),
  },
  /** A WebRTC transport on the server. A receiving one needs the device's RTP capabilities. */
  createTransport: {
    req: z.discriminatedUnion('direction', [
      z.object({ direction: z.literal('send') }).strict(),
      z.object({ direction: z.literal('recv'), rtpCapabilities: rtpCapabilitiesSchema }).strict(),
    ]),
    res: transportSchema,
  },
  connectTransport: {
    req: z.object({ ...transportRef, dtlsParameters: dtlsParametersSchema }).strict(),
    res: ok,
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
  pauseProducer: { req: z.object({ producerId: idSchema }).strict(), res: ok },
  resumeProducer: { req: z.object({ producerId: idSchema }).strict(), res: ok },
  closeProducer: { req: z.object({ producerId: idSchema }).strict(), res: ok },
  /**
   * A consumer of a producer, created paused: resume it once the track is set up. With
   * `resume: true` it is created sending and needs no `resumeConsumer` (one round trip less on
   * the join path): for a receiving transport that has not connected yet, where nothing flows
   * before DTLS and mediasoup asks the sender for a key frame when it connects.
   * `rtpCapabilities`: the device's, for a receiving transport that came with the join answer
   * (`openRecv`), which has none yet; kept for the transport's later consumes.
   */
  consume: {
    req: z.object({ ...transportRef, producerId: idSchema, resume: z.boolean().optional(), rtpCapabilities: rtpCapabilitiesSchema.optional() }).strict(),
    res: consumerSchema,
  },
  resumeConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: ok },
  pauseConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: ok },
  closeConsumer: { req: z.object({ consumerId: idSchema }).strict(), res: ok },
  /** Upper bound of the simulcast layers to receive; bandwidth estimation may pick lower. */
  setPreferredLayers: {
    req: z
      .object({
        consumerId: idSchema,
        spatialLayer: z.number().int().min(0).max(7),
        temporalLayer: z.number().int().min(0).max(7).optional(),
      })
      .strict(),
    res: ok,
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
  /**
   * A site or attendee says whether its browser blocks the lecture's sound (autoplay refused, the
   * page shows "Enable sound"); the lecture hears it as `participantUpdated` (`soundBlocked`).
   */
  reportPlayback: { req: z.object({ soundBlocked: z.boolean() }).strict(), res: ok },
  /**
   * A viewer chooses "audio and slides only" (the trainer's camera is paused for it whatever its
   * link carries) or everything again; the answer is its step now (then `receivePriority` pushes).
   */
  setReceiveMode: { req: z.object({ audioSlidesOnly: z.boolean() }).strict(), res: receivePrioritySchema },
  startLecture: { req: empty, res: lectureViewSchema },
  endLecture: { req: empty, res: lectureViewSchema },
  /** Records the lecture on the server (raw files as they arrive, one MP4 afterwards). */
  startRecording: { req: empty, res: lectureViewSchema },
  stopRecording: { req: empty, res: lectureViewSchema },
  /** New attendees wait in the lobby while locked; unlocking admits everyone waiting. */
  setLocked: { req: z.object({ locked: z.boolean() }).strict(), res: lectureViewSchema },
  admit: { req: peerRef, res: ok },

  // Hands and the floor
  raiseHand: { req: empty, res: ok },
  lowerHand: { req: empty, res: ok },
  /** The trainer lowers someone's hand without giving the floor. */
  dismissHand: { req: peerRef, res: ok },
  /**
   * Lets a participant send camera and microphone to everyone (at most STAGE_SIZE at once). A
   * classroom takes the floor at once; an attendee is invited (`invitations`) and takes it only
   * by accepting (`answerFloor`).
   */
  giveFloor: { req: peerRef, res: ok },
  /** Ends a participant's turn (their camera and microphone stop for everyone), or withdraws an invitation. */
  takeFloor: { req: peerRef, res: ok },
  /** An invited attendee accepts the floor (then sends) or declines it (the trainer hears `floorDeclined`). */
  answerFloor: { req: z.object({ accept: z.boolean() }).strict(), res: ok },

  // Moderation
  /** Pauses a participant's microphone on the server (they may unmute themselves). */
  muteParticipant: { req: peerRef, res: ok },
  /** Disconnects a participant; their link is refused for this lecture afterwards. */
  removeParticipant: { req: peerRef, res: ok },
  /** Undoes a removal (its identity and browser may join again); the trainer gets `removals`. */
  restoreParticipant: { req: z.object({ identity: z.string().min(1).max(128) }).strict(), res: ok },

  // Chat and Q&A
  sendChat: {
    req: z
      .object({
        text: z.string().trim().min(1, 'empty message').max(CHAT_MAX_LENGTH, `at most ${CHAT_MAX_LENGTH} characters`),
        question: z.boolean().optional(),
      })
      .strict(),
    res: chatMessageViewSchema,
  },
  markAnswered: { req: z.object({ messageId: idSchema }).strict(), res: chatMessageViewSchema },

  getAttendance: { req: empty, res: attendanceSummarySchema },
  /**
   * After the end: a viewing link (same origin, `/recordings/<id>?token=…`) to the lecture's
   * newest recording, or null when it has none. The link works VIEW_LINK_HOURS.
   */
  recordingLink: { req: empty, res: z.object({ url: z.string().nullable() }) },
  leave: { req: empty, res: ok },
  /**
   * A classroom reports what it measures of the lecture it receives (loss, round trip, jitter,
   * bitrate, frames per second, freezes, blocked sound), every QUALITY_REPORT_SECONDS; faster
   * reports are refused (RATE_LIMITED). The trainer sees it in `sitesHealth`.
   */
  reportQuality: { req: kioskStatsSchema, res: ok },
  /**
   * The studio's pre-flight check before going live (camera, microphone peak, test tone, and its
   * send transport's round trip, loss and outgoing bitrate estimate); the admin's Network tab shows it.
   */
  reportPreflight: { req: preflightResultSchema, res: ok },

  // The studio feed (WHIP / RTMP / SRT encoders)
  /** The trainer: where to send a studio feed, and what is on air now (then `studioFeed` pushes). */
  studioFeed: { req: empty, res: studioFeedStateSchema.extend({ credentials: ingestCredentialsSchema }) },
  /** The trainer switches the program between the browser's camera and microphone and the studio feed. */
  setProgram: { req: z.object({ program: programSchema }).strict(), res: studioFeedStateSchema },
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
