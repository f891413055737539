import type { MediaKind, MediaSource, ProducerView, ReceivePriority, rtpCapabilitiesSchema, rtpParametersSchema } from '@teleclass/shared';
import type { z } from 'zod';
import type { ms } from './mediasoup.js';
import type { NodePipeOptions } from './NodePipes.js';

/** What LectureMedia announces. */
export type LectureMediaEvents = {
  produceradded: [ProducerView];
  producerclosed: [producerId: string, peerId: string];
  producerpaused: [producerId: string, paused: boolean];
  /** The server stopped (false) or started again (true) receiving a producer's media. */
  producerhealth: [producerId: string, flowing: boolean];
  /** A consumer closed by the server (its producer went away); tell its owner. */
  consumerclosed: [peerId: string, consumerId: string, producerId: string];
  activespeaker: [peerId: string | null];
  /** A viewer's weak-link step changed (or its own choice of "audio and slides only"): tell it. */
  receivepriority: [peerId: string, view: ReceivePriority];
  /** The participant's transports died with their worker; it must set up its media again. */
  mediareset: [peerId: string];
};

export type WireRtpParameters = z.output<typeof rtpParametersSchema>;
export type WireRtpCapabilities = z.output<typeof rtpCapabilitiesSchema>;

/** One stream of a plain RTP ingest (LectureMedia.ingest). */
export interface IngestStream {
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: WireRtpParameters;
}

/** Which worker holds a participant's media. */
export interface PeerPlacementView {
  workerIndex: number;
  workerPid: number;
}

export interface TransportInfo {
  id: string;
  direction: 'send' | 'recv';
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  dtlsParameters: ms.DtlsParameters;
}

export interface ConsumerInfo {
  id: string;
  /** false when created sending (`consume` with `resume: true`). */
  paused: boolean;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: ms.RtpParameters;
  producerPaused: boolean;
}

/** What one participant may hold (MAX_TRANSPORTS_PER_PEER, MAX_CONSUMERS_PER_PEER). */
export interface MediaLimits {
  transportsPerPeer: number;
  consumersPerPeer: number;
  /** Pipes to other nodes of a cluster (NodePipes); the defaults when left out. */
  pipes?: NodePipeOptions | undefined;
}

/** Send + receive, and slack for a rebuild while the old ones close; one consumer per stream of a full stage. */
export const DEFAULT_MEDIA_LIMITS: MediaLimits = { transportsPerPeer: 4, consumersPerPeer: 32 };
