import { randomUUID } from 'node:crypto';
import { TeleclassError, type RequestOf } from '@teleclass/shared';
import type { TransportInfo } from '../media/LectureMedia.js';
import type { WireRtpCapabilities } from '../media/lectureMediaTypes.js';
import type { LectureRoom } from './LectureRoom.js';
import type { JoinTrace } from './joinTrace.js';

/** How long a receiving transport opened before the join waits for it (PREPARED_RECV_SECONDS' default). */
export const PREPARED_RECV_MS = 10 * 60_000;

/** What a prepared transport brings to the join that takes it over. */
export interface PreparedTransport {
  room: LectureRoom;
  transport: TransportInfo;
  /** Connected with the page's DTLS parameters (the join need not connect it). */
  connected: boolean;
}

/**
 * A viewer's receiving transport opened (and connected with the page's DTLS parameters) while its
 * page shows the name screen, before the join press (`prepareRecv`): the join then takes it over
 * (`adopt`) instead of opening one, so the join press is only the consumes away from media. It is
 * opened for the participant id the join will give the person (`peerId`), so the media side needs
 * no hand-over: the placement, the weak-link policy and the transport simply become the
 * participant's. Until adopted it belongs to the connection, and goes (`release`) when the
 * connection closes or resumes another participant, when its room closes, when the join that
 * follows does not ask for one, or after PREPARED_RECV_MS unused. `ready` never rejects: null
 * means the join opens one as before. A join may take it over while it is still being opened
 * (the page sends the join right after it): the join then waits for `ready`.
 */
export class PreparedRecv {
  readonly peerId = randomUUID();
  #state: 'open' | 'adopted' | 'released' = 'open';
  /** After adoption: the participant is still here (asked after each await of the opening still under way). */
  #stillHere: () => void = () => undefined;
  #room: LectureRoom | undefined;
  #timer: NodeJS.Timeout | undefined;
  #settle!: (p: PreparedTransport | null) => void;
  /** Settles once: with what was opened, or null (nothing: released, refused, or failed). */
  readonly ready = new Promise<PreparedTransport | null>((resolve) => (this.#settle = resolve));

  constructor(
    readonly lectureId: string,
    private readonly released: (p: PreparedRecv) => void,
  ) {}

  get open(): boolean {
    return this.#state === 'open';
  }

  get adopted(): boolean {
    return this.#state === 'adopted';
  }

  /** The room it was opened in (once known). */
  get room(): LectureRoom | undefined {
    return this.#room;
  }

  /**
   * Opens it in `room` (once; also after a join took it over while the room was being opened):
   * the transport, then the connect with the page's DTLS parameters; still wanted is checked
   * after each await. Rejects with the reason when nothing was opened (released then).
   */
  start(
    room: LectureRoom,
    req: { rtpCapabilities: WireRtpCapabilities; dtlsParameters?: RequestOf<'connectTransport'>['dtlsParameters'] | undefined },
    options: { ttlMs: number; trace: JoinTrace },
  ): Promise<TransportInfo> {
    this.#room = room;
    const mayStill = () => this.#assertWanted();
    const opening = (async (): Promise<PreparedTransport> => {
      mayStill();
      const transport = await options.trace('prepare: recv transport', room.media.createTransport(this.peerId, 'recv', req.rtpCapabilities, { mayStill, priority: true }));
      const dtls = req.dtlsParameters;
      const connected = dtls
        ? await options.trace('prepare: recv connect', room.media.connectTransport(this.peerId, transport.id, dtls)).then(
            () => true,
            () => false, // the join connects it then (or the page, by request)
          )
        : false;
      mayStill();
      return { room, transport, connected };
    })();
    opening.then(
      (p) => this.#settle(p),
      () => this.abandon(),
    );
    if (this.#state === 'open') {
      this.#timer = setTimeout(() => this.release(), options.ttlMs);
      this.#timer.unref();
    }
    return opening.then((p) => p.transport);
  }

  /** Nothing will be opened (refused, or failed): `ready` settles null, and it is released. */
  abandon(): void {
    this.release();
    this.#settle(null);
  }

  /** A join in `room` may take it over (still open, and not opened in another room). */
  canAdopt(room: LectureRoom): boolean {
    return this.#state === 'open' && (this.#room === undefined || this.#room === room);
  }

  /**
   * The join takes it over for its participant (made with `peerId` as its id, after `canAdopt`
   * in the same synchronous step): from now on it is the participant's media, and an opening
   * still under way keeps it only while `stillHere` holds.
   */
  adopt(stillHere: () => void): void {
    if (this.#state !== 'open') return;
    this.#state = 'adopted';
    this.#stillHere = stillHere;
    this.#stop();
  }

  /** Not (or no longer) wanted before a join took it: whatever it opened closes. Idempotent. */
  release(): void {
    if (this.#state !== 'open') return;
    this.#state = 'released';
    this.#settle(null);
    this.#stop();
    const room = this.#room;
    if (room && !room.closed) room.media.closePeer(this.peerId);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.released(this);
  }

  #assertWanted(): void {
    if (this.#state === 'released') throw new TeleclassError('DISCONNECTED', 'The receiving transport is no longer wanted.');
    if (this.#state === 'adopted') this.#stillHere();
  }
}

/**
 * The connections' prepared receiving transports per lecture, not yet taken over by a join: at
 * most the lecture's MAX_PARTICIPANTS at once (the first ones asked; more are refused LIMIT and
 * those pages simply open theirs with the join), and while any is open its room stays open
 * (LectureRegistry.holdOpen) so that the join finds it.
 */
export class PreparedRecvs {
  readonly #byLecture = new Map<string, Set<PreparedRecv>>();

  constructor(private readonly onReleased: (lectureId: string) => void) {}

  /** A new one for `lectureId`, counted from now (its place in the line is decided here, synchronously). */
  add(lectureId: string): PreparedRecv {
    const p = new PreparedRecv(lectureId, (x) => this.#forget(x));
    let set = this.#byLecture.get(lectureId);
    if (!set) this.#byLecture.set(lectureId, (set = new Set()));
    set.add(p);
    return p;
  }

  /** LIMIT unless `p` is among the first `max` open ones of its lecture. */
  assertWithin(p: PreparedRecv, max: number): void {
    let place = 0;
    for (const x of this.#byLecture.get(p.lectureId) ?? []) {
      if (x === p) break;
      place++;
    }
    if (place >= max) throw new TeleclassError('LIMIT', `Too many receiving transports prepared for this lecture (${max}).`);
  }

  /** Open ones of the lecture (a held room). */
  count(lectureId: string): number {
    return this.#byLecture.get(lectureId)?.size ?? 0;
  }

  /** The room closed: its prepared transports went with its media. */
  releaseRoom(room: LectureRoom): void {
    for (const p of [...(this.#byLecture.get(room.id) ?? [])]) if (p.room === room) p.release();
  }

  #forget(p: PreparedRecv): void {
    const set = this.#byLecture.get(p.lectureId);
    if (!set?.delete(p)) return;
    if (set.size === 0) this.#byLecture.delete(p.lectureId);
    this.onReleased(p.lectureId);
  }
}
