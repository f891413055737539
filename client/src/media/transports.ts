/**
 * Creating a mediasoup-client transport from the server's parameters, and wiring its `connect`
 * and `produce` events to signaling requests. The zod-typed wire shapes and mediasoup-client's
 * own types describe the same JSON; the casts below are where the two meet.
 */
import type { Device, types } from 'mediasoup-client';
import type { MediaKind, MediaSource, RequestOf, ResponseOf } from '@teleclass/shared';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { TransportState } from './sessionState.js';
import { matches, type DtlsIdentity, type WireDtlsParameters } from './dtlsIdentity.js';

export interface ProducerAppData extends types.AppData {
  source: MediaSource;
  /** Ask the server to create the producer paused (a microphone muted before going live). */
  paused?: boolean;
}

type RecvRequest = Extract<RequestOf<'createTransport'>, { direction: 'recv' }>;

export async function createRecvTransport(
  signaling: SignalingClient,
  device: Device,
  onState: (state: TransportState) => void,
): Promise<types.Transport> {
  const params = await signaling.request('createTransport', {
    direction: 'recv',
    rtpCapabilities: device.recvRtpCapabilities as RecvRequest['rtpCapabilities'],
  });
  return recvTransportFrom(signaling, device, params, onState);
}

/**
 * The receiving transport the join answer brought (`join { openRecv }`); `connectedWith`: the
 * page's DTLS identity the server connected it with in the join (`recvConnected`).
 */
export type OpenedRecv = ResponseOf<'createTransport'> & { connectedWith?: DtlsIdentity | undefined };

/**
 * The receiving transport the server opened with the join (`join { openRecv }`), set up here. One
 * the server connected in the join runs on the page's certificate, and its `connect` needs no
 * request (see dtlsIdentity.ts).
 */
export function recvTransportFrom(
  signaling: SignalingClient,
  device: Device,
  params: OpenedRecv,
  onState: (state: TransportState) => void,
): types.Transport {
  const identity = params.connectedWith;
  const transport = device.createRecvTransport({
    ...transportOptions(params),
    ...(identity && { additionalSettings: { certificates: [identity.certificate] } }),
  });
  wireConnect(signaling, transport, onState, identity?.dtlsParameters);
  return transport;
}

export async function createSendTransport(
  signaling: SignalingClient,
  device: Device,
  onState: (state: TransportState) => void,
): Promise<types.Transport> {
  const params = await signaling.request('createTransport', { direction: 'send' });
  const transport = device.createSendTransport(transportOptions(params));
  wireConnect(signaling, transport, onState);
  transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    const { source, paused } = appData as ProducerAppData;
    signaling
      .request('produce', {
        transportId: transport.id,
        kind: kind as MediaKind,
        source,
        rtpParameters: rtpParameters as RequestOf<'produce'>['rtpParameters'],
        ...(paused ? { paused: true } : {}),
      })
      .then(({ producerId }) => callback({ id: producerId }))
      .catch((error: Error) => errback(error));
  });
  return transport;
}

function transportOptions(params: ResponseOf<'createTransport'>): types.TransportOptions {
  return {
    id: params.id,
    iceParameters: params.iceParameters as types.IceParameters,
    iceCandidates: params.iceCandidates as types.IceCandidate[],
    dtlsParameters: params.dtlsParameters as types.DtlsParameters,
  };
}

/** `connectedWith`: the server connected the transport with these already (the join). */
function wireConnect(
  signaling: SignalingClient,
  transport: types.Transport,
  onState: (state: TransportState) => void,
  connectedWith?: WireDtlsParameters,
): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    if (connectedWith) {
      if (matches(dtlsParameters, connectedWith)) {
        callback();
        return;
      }
      // The browser did not use the page's certificate: the server's side cannot complete the
      // handshake, and connecting it again is refused. The transport is reported failed, so the
      // watchdog rebuilds the media on a new transport (created and connected by request).
      const error = new Error('the receiving transport did not take the page\'s DTLS certificate');
      console.warn(`[teleclass] ${error.message}`);
      errback(error);
      onState('failed');
      return;
    }
    signaling
      .request('connectTransport', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as RequestOf<'connectTransport'>['dtlsParameters'],
      })
      .then(() => callback())
      .catch((error: Error) => errback(error));
  });
  onState(transport.connectionState);
  transport.on('connectionstatechange', (state) => onState(state));
}

/**
 * The one transport of a Publisher or Receiver: created on first use (a failed creation is tried
 * again on the next use), ICE-restartable, closed once; a transport that arrives after `close()`
 * is closed at once.
 */
export class LazyTransport {
  #pending: Promise<types.Transport> | null = null;
  #current: types.Transport | null = null;
  #closed = false;
  /** The newest ICE restart's number (see restartIce). */
  #iceRound = 0;

  constructor(
    private readonly signaling: SignalingClient,
    private readonly create: () => Promise<types.Transport>,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  get(): Promise<types.Transport> {
    this.#pending ??= this.create().then(
      (transport) => {
        if (this.#closed) {
          transport.close();
          throw new Error('transport closed');
        }
        this.#current = transport;
        return transport;
      },
      (error: unknown) => {
        this.#pending = null;
        throw error;
      },
    );
    return this.#pending;
  }

  /**
   * ICE restart: new ICE parameters from the server, given to the transport (no-op without one).
   * Restarts are numbered: an answer that arrives after the transport moved on — another restart
   * was started, the transport was closed or replaced — carries stale credentials and is not
   * applied (the newer round's answer is). The server runs one transport's restarts in order, so
   * the newest round's answer holds its current credentials. A restart that got no answer (the
   * connection was lost: TIMEOUT, DISCONNECTED) may or may not have changed them on the server;
   * the caller restarts again once it can (SessionRecovery, after a resume).
   */
  async restartIce(): Promise<void> {
    const transport = this.#current;
    if (!transport || transport.closed) return;
    const round = ++this.#iceRound;
    const { iceParameters } = await this.signaling.request('restartIce', { transportId: transport.id });
    if (round !== this.#iceRound || transport.closed || this.#current !== transport) {
      console.warn(`[teleclass] ICE restart answer of round ${round} ignored: round ${this.#iceRound} is newer, or the transport moved on`);
      return;
    }
    await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
  }

  /** The transport's RTCStatsReport as plain objects ([] before it exists). */
  async stats(): Promise<RTCStats[]> {
    if (!this.#current || this.#current.closed) return [];
    return [...(await this.#current.getStats()).values()] as RTCStats[];
  }

  close(): void {
    this.#closed = true;
    this.#current?.close();
    this.#current = null;
    this.#pending = null;
  }
}
