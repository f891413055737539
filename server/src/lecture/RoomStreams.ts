import { TeleclassError, type MediaSource, type Method, type ParsedRequestOf, type ResponseOf } from '@teleclass/shared';
import type { ConsumerInfo, TransportInfo } from '../media/LectureMedia.js';
import type { WireRtpCapabilities } from '../media/lectureMediaTypes.js';
import type { LectureRoom } from './LectureRoom.js';
import { mayProduce } from './permissions.js';
import type { Actor } from './ports.js';

type Req<M extends Method> = ParsedRequestOf<M>;

/**
 * The room's media use-cases: a participant's transports, what it sends and what it receives.
 * Sending needs the floor (the trainer always has it) and a live lecture, checked before the
 * media server is asked and again once it answered: the floor may have been taken back, the
 * lecture ended or the participant left meanwhile, and then nobody ever hears of the stream.
 */
export class RoomStreams {
  /** The ICE restart under way per transport (see restartIce). */
  readonly #iceRestarts = new Map<string, Promise<void>>();

  constructor(private readonly room: LectureRoom) {}

  /** Still here is checked again once the media server answered (a participant that left keeps nothing). */
  async createTransport(actor: Actor, req: Req<'createTransport'>): Promise<TransportInfo> {
    const { lecture, media } = this.room;
    const { participant } = actor;
    this.room.assertPresent(actor);
    const mayStill = () => this.room.assertPresent(actor);
    if (req.direction === 'send') {
      if (participant.role !== 'trainer' && !lecture.onStage(participant.id)) {
        throw new TeleclassError('FORBIDDEN', 'Only the trainer and whoever has the floor send media.');
      }
      return media.createTransport(participant.id, 'send', undefined, { mayStill });
    }
    // The weak-link policy is for the lecture's viewers (classrooms, attendees): the studio's own
    // monitors (its program feed, the classrooms it watches) are never held back by it.
    return media.createTransport(participant.id, 'recv', req.rtpCapabilities, { mayStill, priority: participant.role !== 'trainer' });
  }

  /**
   * A viewer's receiving transport opened with its join (`join { openRecv }`): the device's RTP
   * capabilities come with the join (`rtpCapabilities`, a device loaded beforehand) or else with
   * its first `consume`.
   */
  async openRecvTransport(actor: Actor, rtpCapabilities?: WireRtpCapabilities): Promise<TransportInfo> {
    this.room.assertPresent(actor);
    const mayStill = () => this.room.assertPresent(actor);
    return this.room.media.createTransport(actor.participant.id, 'recv', rtpCapabilities, { mayStill, priority: actor.participant.role !== 'trainer' });
  }

  async connectTransport(actor: Actor, req: Req<'connectTransport'>): Promise<void> {
    const { participant } = this.#present(actor);
    return this.room.media.connectTransport(participant.id, req.transportId, req.dtlsParameters);
  }

  /**
   * ICE restarts of one transport run one after the other, in the order they arrived: a restart
   * asked while another is under way waits for it and then makes its own new credentials, so the
   * last answer sent is always the transport's current credentials. A request from a connection
   * that no longer speaks for the participant (a resumed session's old socket) changes nothing.
   */
  async restartIce(actor: Actor, transportId: string): Promise<ResponseOf<'restartIce'>> {
    const { participant } = this.#present(actor);
    const previous = this.#iceRestarts.get(transportId) ?? Promise.resolve();
    const run = previous.then(() => {
      this.#present(actor); // still this connection's, after waiting
      return this.room.media.restartIce(participant.id, transportId);
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#iceRestarts.set(transportId, settled);
    void settled.then(() => {
      if (this.#iceRestarts.get(transportId) === settled) this.#iceRestarts.delete(transportId);
    });
    return { iceParameters: await run };
  }

  async produce(actor: Actor, req: Req<'produce'>): Promise<string> {
    const check = this.#maySend(actor, req.source);
    check();
    return this.room.media.produce(actor.participant.id, req, check);
  }

  async pauseProducer(actor: Actor, producerId: string): Promise<void> {
    const { participant } = this.#present(actor);
    return this.room.media.setProducerPaused(participant.id, producerId, true);
  }

  /** Unmuting, too, needs the floor (a participant the trainer muted cannot speak once it lost it). */
  async resumeProducer(actor: Actor, producerId: string): Promise<void> {
    const { media } = this.room;
    const id = actor.participant.id;
    const source = media.producers().find((p) => p.id === producerId && p.peerId === id)?.source;
    if (!source) throw new TeleclassError('NOT_FOUND', `No producer ${producerId} of yours.`);
    const check = this.#maySend(actor, source);
    check();
    await media.setProducerPaused(id, producerId, false, check);
  }

  closeProducer(actor: Actor, producerId: string): void {
    const { participant } = this.#present(actor);
    this.room.media.closeProducer(participant.id, producerId);
  }

  async consume(actor: Actor, req: Req<'consume'>): Promise<ConsumerInfo> {
    const { participant } = this.#present(actor);
    return this.room.media.consume(participant.id, req.transportId, req.producerId, req.resume === true, req.rtpCapabilities);
  }

  async setConsumerPaused(actor: Actor, consumerId: string, paused: boolean): Promise<void> {
    const { participant } = this.#present(actor);
    return this.room.media.setConsumerPaused(participant.id, consumerId, paused);
  }

  closeConsumer(actor: Actor, consumerId: string): void {
    const { participant } = this.#present(actor);
    this.room.media.closeConsumer(participant.id, consumerId);
  }

  async setPreferredLayers(actor: Actor, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const { participant } = this.#present(actor);
    return this.room.media.setPreferredLayers(participant.id, consumerId, spatialLayer, temporalLayer);
  }

  async setViewport(actor: Actor, consumerId: string, height: number): Promise<number> {
    const { participant } = this.#present(actor);
    return this.room.media.setViewport(participant.id, consumerId, height);
  }

  /** "Audio and slides only" chosen or undone by the viewer (see LectureMedia.setReceiveMode). */
  setReceiveMode(actor: Actor, audioSlidesOnly: boolean): Promise<ResponseOf<'setReceiveMode'>> {
    const { participant } = this.#present(actor);
    return this.room.media.setReceiveMode(participant.id, audioSlidesOnly);
  }

  /** The server's view of how well a participant receives (consumer score, video layer). */
  receiveQuality({ participant }: Actor): { score: number | null; layer: number | null } {
    return this.room.media.receiveQuality(participant.id);
  }

  /** The caller is still in the room through this connection (NOT_FOUND otherwise). */
  #present(actor: Actor): Actor {
    this.room.assertPresent(actor);
    return actor;
  }

  /** The rule for sending `source`: still here, may send it (the floor), the lecture live. */
  #maySend(actor: Actor, source: MediaSource): () => void {
    return () => {
      this.room.assertPresent(actor);
      if (!mayProduce(actor.participant.role, this.room.lecture.onStage(actor.participant.id), source)) {
        throw new TeleclassError('FORBIDDEN', 'You may send media only while you have the floor.');
      }
      this.room.assertLive();
    };
  }
}
