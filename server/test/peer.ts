// A participant for integration tests: socket.io-client on loopback + mediasoup-client's
// FakeHandler (real mediasoup-client logic, fake RTCPeerConnection) against the real server.
import { Device } from 'mediasoup-client';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { io, type Socket } from 'socket.io-client';
import type { Ack, Method, NotificationName, RequestOf, ResponseOf } from '@teleclass/shared';

export type JoinedAnswer = Extract<ResponseOf<'join'>, { status: 'joined' }>;

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export class TestPeer {
  readonly socket: Socket;
  readonly device = new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
  readonly notifications: { name: string; data: unknown }[] = [];
  sendTransport?: Transport;
  recvTransport?: Transport;
  readonly consumers = new Map<string, Consumer>();

  constructor(url: string, ca: Buffer, token: string | undefined, auth: Record<string, string> = {}) {
    this.socket = io(url, {
      transports: ['websocket'],
      ca: ca.toString('utf8'),
      reconnection: false,
      forceNew: true,
      auth: token === undefined ? auth : { ...auth, token },
    });
    this.socket.onAny((name: string, data: unknown) => this.notifications.push({ name, data }));
  }

  async connected(): Promise<this> {
    if (this.socket.connected) return this;
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    return this;
  }

  /** The code a refused handshake carries (fails when the socket connects). */
  async handshakeRefusal(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('the socket connected')));
      this.socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
    });
  }

  /** Every request emitted, in order (a test checks which round trips a flow takes). */
  readonly sent: string[] = [];

  /** Raw emit: any event name and payload; resolves with the ack as it came. */
  raw(event: string, payload: unknown, timeoutMs = 5000): Promise<Ack<unknown>> {
    this.sent.push(event);
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<unknown>>;
  }

  async request<M extends Method>(method: M, payload: RequestOf<M>): Promise<ResponseOf<M>> {
    const ack = await this.raw(method, payload);
    if (!ack.ok) throw new RequestError(ack.error.code, ack.error.message);
    return ack.data as ResponseOf<M>;
  }

  /** The error code a request is refused with (fails when it succeeds). */
  async refusal(method: string, payload: unknown): Promise<string> {
    const ack = await this.raw(method, payload);
    if (ack.ok) throw new Error(`${method} unexpectedly succeeded`);
    return ack.error.code;
  }

  waitForNotification(name: NotificationName, match: (data: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const seen = this.notifications.find((n) => n.name === name && match(n.data));
    if (seen) return Promise.resolve(seen.data);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off(name, listener);
        reject(new Error(`no ${name} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (data: unknown) => {
        if (!match(data)) return;
        clearTimeout(timer);
        this.socket.off(name, listener);
        resolve(data);
      };
      this.socket.on(name, listener);
    });
  }

  /**
   * Joins (the lecture and role come from the token) and loads the device. With `openRecv`, as a
   * viewer's page does: the receiving transport comes with the answer and is set up here (its
   * first consumes then carry the device's RTP capabilities).
   */
  async join(displayName?: string, options: { openRecv?: boolean; adopt?: boolean; dtls?: boolean } = {}): Promise<JoinedAnswer> {
    await this.connected();
    // Loaded beforehand (`preload`, as the page does while its name screen shows): the join
    // carries the device's capabilities, and its answer the consumers, set up here with no request.
    const loaded = this.device.loaded;
    // With `dtls`, as the page does with its own certificate: the DTLS parameters the FakeHandler
    // will report, known beforehand; the server connects the transport in the join.
    const dtlsParameters = options.openRecv && options.dtls ? TestPeer.recvDtlsParameters : undefined;
    const answer = await this.request('join', {
      ...(displayName !== undefined && { displayName }),
      ...(options.openRecv && { openRecv: true }),
      ...(options.openRecv && loaded && { rtpCapabilities: this.device.recvRtpCapabilities as never }),
      ...(dtlsParameters && { dtlsParameters }),
    });
    if (answer.status !== 'joined') throw new Error(`expected to join, got ${answer.status}`);
    if (!loaded) await this.device.load({ routerRtpCapabilities: answer.routerRtpCapabilities as never });
    if (answer.recvTransport) {
      this.#recvNeedsCapabilities = !loaded;
      this.#wireRecv(answer.recvTransport, answer.recvConnected ? (dtlsParameters ?? this.#preparedDtls) : undefined);
      if (options.adopt !== false) await this.adopt(answer);
    }
    return answer;
  }

  /** The consumers the join answer brought, set up locally (no request). */
  async adopt(answer: JoinedAnswer): Promise<void> {
    for (const info of answer.consumers) {
      const consumer = await this.recvTransport!.consume({ id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: info.rtpParameters as never });
      this.consumers.set(consumer.id, consumer);
    }
  }

  /** As a page does when it loads: the router's capabilities before the join, the device loaded with them. */
  async preload(): Promise<void> {
    const { routerRtpCapabilities } = await this.request('routerCapabilities', {});
    await this.device.load({ routerRtpCapabilities: routerRtpCapabilities as never });
  }

  /** The DTLS parameters the receiving transport prepared before the join was connected with (`prepare { dtls }`). */
  #preparedDtls: typeof TestPeer.recvDtlsParameters | undefined;

  /**
   * As a viewer's page does once its device is loaded (`preload` first): its receiving transport
   * opened before the join (`prepareRecv`), with `dtls` connected with the DTLS parameters the
   * FakeHandler will report; the join with `openRecv` takes it over.
   */
  async prepare(options: { dtls?: boolean } = {}): Promise<string> {
    this.#preparedDtls = options.dtls ? TestPeer.recvDtlsParameters : undefined;
    const { transportId } = await this.request('prepareRecv', {
      rtpCapabilities: this.device.recvRtpCapabilities as never,
      ...(options.dtls && { dtlsParameters: TestPeer.recvDtlsParameters }),
    });
    return transportId;
  }

  /** The receiving transport came with the join: its first consume carries the device's capabilities (again if it failed). */
  #recvNeedsCapabilities = false;

  async openSend(): Promise<Transport> {
    const t = await this.request('createTransport', { direction: 'send' });
    const transport = this.device.createSendTransport(t as never);
    transport.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => ok(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
      this.request('produce', {
        transportId: transport.id,
        kind,
        rtpParameters: rtpParameters as never,
        source: appData['source'] as 'camera',
      }).then(({ producerId }) => ok({ id: producerId }), fail);
    });
    this.sendTransport = transport;
    return transport;
  }

  async produceCamera(): Promise<Producer> {
    return this.sendTransport!.produce({
      track: new FakeMediaStreamTrack({ kind: 'video' }) as never,
      encodings: [
        { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
        { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
        { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
      ],
      appData: { source: 'camera' },
    });
  }

  async produceMicrophone(): Promise<Producer> {
    return this.sendTransport!.produce({
      track: new FakeMediaStreamTrack({ kind: 'audio' }) as never,
      appData: { source: 'microphone' },
    });
  }

  async openRecv(): Promise<Transport> {
    const t = await this.request('createTransport', { direction: 'recv', rtpCapabilities: this.device.rtpCapabilities as never });
    return this.#wireRecv(t);
  }

  /** What mediasoup-client's FakeHandler reports for a receiving transport (it is the DTLS client). */
  static readonly recvDtlsParameters = { role: 'client' as const, fingerprints: fakeParameters.generateLocalDtlsParameters().fingerprints as never };

  /** `connectedWith`: the server connected it in the join with these; its connect asks nothing then. */
  #wireRecv(t: ResponseOf<'createTransport'>, connectedWith?: typeof TestPeer.recvDtlsParameters): Transport {
    const transport = this.device.createRecvTransport(t as never);
    transport.on('connect', ({ dtlsParameters }, ok, fail) => {
      if (connectedWith) {
        const same = dtlsParameters.role === connectedWith.role && JSON.stringify(dtlsParameters.fingerprints) === JSON.stringify(connectedWith.fingerprints);
        if (same) ok();
        else fail(new Error('the transport reported other DTLS parameters than the join sent'));
        return;
      }
      this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => ok(), fail);
    });
    this.recvTransport = transport;
    return transport;
  }

  /**
   * consume → local consumer → resume, as a viewer does; with `resume`, as a viewer does before its
   * transport first connects: the server makes the consumer sending, and no resume follows.
   */
  async consume(producerId: string, options: { resume?: boolean } = {}): Promise<Consumer> {
    const withCapabilities = this.#recvNeedsCapabilities;
    this.#recvNeedsCapabilities = false;
    const info = await this.request('consume', {
      transportId: this.recvTransport!.id,
      producerId,
      ...(options.resume && { resume: true }),
      ...(withCapabilities && { rtpCapabilities: this.device.rtpCapabilities as never }),
    }).catch((error: unknown) => {
      if (withCapabilities) this.#recvNeedsCapabilities = true;
      throw error;
    });
    const consumer = await this.recvTransport!.consume({
      id: info.id,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as never,
    });
    this.consumers.set(consumer.id, consumer);
    if (info.paused) await this.request('resumeConsumer', { consumerId: consumer.id });
    return consumer;
  }

  close(): void {
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.socket.disconnect();
  }
}

/** The trainer (connected by `peerFor`) joined and live, sending a camera of three simulcast layers and a microphone. */
export async function liveStudio(peerFor: (token: string) => TestPeer, trainerToken: string): Promise<{ trainer: TestPeer; camera: Producer; mic: Producer }> {
  const trainer = peerFor(trainerToken);
  await trainer.join();
  await trainer.request('startLecture', {});
  await trainer.openSend();
  const camera = await trainer.produceCamera();
  const mic = await trainer.produceMicrophone();
  return { trainer, camera, mic };
}
