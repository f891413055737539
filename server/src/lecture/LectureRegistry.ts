import { EventEmitter } from 'node:events';
import { TeleclassError } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { LectureMedia, type MediaLimits } from '../media/LectureMedia.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { LectureRecord, Store } from '../store/Store.js';
import { WriteQueue } from '../store/WriteQueue.js';
import { AttendanceLog } from './AttendanceLog.js';
import { Lecture } from './Lecture.js';
import { LectureRoom } from './LectureRoom.js';
import type { Notifier } from './ports.js';
import type { ChatLimits } from './RoomChat.js';

export { LectureRoom } from './LectureRoom.js';

/** What the rooms reach people and limit chat with (the signaling layer provides them: `serve`). */
export interface RoomServices {
  notify: Notifier;
  chat: ChatLimits;
}

/** How much one lecture holds (STAGE_SIZE, MAX_PARTICIPANTS, MAX_LOBBY, and per participant). */
export interface RoomLimits {
  stageSize: number;
  /** Attendees at once (the trainer and invited classrooms always get in). */
  participants: number;
  lobby: number;
  media: MediaLimits;
}

export type RegistryEvents = {
  roomcreated: [LectureRoom];
  roomclosed: [LectureRoom];
  /** The lecture was deleted while people were in it: they must be told and let go. */
  roomdeleted: [LectureRoom];
  /** Some of the lecture's links were rotated: whoever holds an old one must be let go. */
  linksrotated: [lectureId: string];
};

/** What the store keeps of a live lecture's state (the rest of its view is the room's). */
type StoredState = Pick<LectureRecord, 'state' | 'locked' | 'startedAt' | 'endedAt'>;

function sameStoredState(a: StoredState, b: StoredState): boolean {
  return a.state === b.state && a.locked === b.locked && a.startedAt === b.startedAt && a.endedAt === b.endedAt;
}

/**
 * The lectures in progress on this server, by id, opened from the store when someone joins and
 * closed when nobody is left. State changes are written back to the store as they happen.
 */
export class LectureRegistry extends EventEmitter<RegistryEvents> {
  readonly #rooms = new Map<string, LectureRoom>();
  /** Rooms being opened (reading the lecture from the store): one read for everyone who asks meanwhile. */
  readonly #opening = new Map<string, Promise<LectureRoom>>();
  /** Lectures deleted while their room was being opened. */
  readonly #deletedWhileOpening = new Set<string>();
  /** Attendance, written behind the use-cases (see AttendanceLog). */
  readonly attendance: AttendanceLog;
  /** Each lecture's state changes, written to the store in the order they happened. */
  readonly #stateWrites: WriteQueue;
  /** What else keeps an empty room open (a studio feed that is connected). */
  readonly #holds: ((lectureId: string) => boolean)[] = [];
  #services: RoomServices | undefined;
  /** Run when a room opens, before anyone is let in (cluster mode: the copy of the origin's room). */
  readonly #openHooks: ((room: LectureRoom) => Promise<void>)[] = [];
  /** Every room's notifier: forwards to the signaling layer once it serves (nobody to tell before). */
  readonly #notify: Notifier = {
    lecture: (...args) => this.#services?.notify.lecture(...args),
    peer: (...args) => this.#services?.notify.peer(...args),
  };

  constructor(
    private readonly pool: WorkerPool,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly limits: RoomLimits,
  ) {
    super();
    this.attendance = new AttendanceLog(store, logger);
    this.#stateWrites = new WriteQueue((error, lectureId) => logger.error({ err: error, lectureId }, "could not write the lecture's state to the store"));
    pool.on('workerdied', (index) => {
      for (const room of this.#rooms.values()) room.media.handleWorkerDied(index);
    });
  }

  /** The signaling layer serves the rooms' people from now on. */
  serve(services: RoomServices): void {
    this.#services = services;
  }

  get size(): number {
    return this.#rooms.size;
  }

  rooms(): LectureRoom[] {
    return [...this.#rooms.values()];
  }

  get(id: string): LectureRoom | undefined {
    return this.#rooms.get(id);
  }

  /** The open room of a stored lecture; NOT_FOUND when the lecture does not exist (or was deleted). */
  getOrCreate(id: string): Promise<LectureRoom> {
    const open = this.#rooms.get(id);
    if (open) return Promise.resolve(open);
    let opening = this.#opening.get(id);
    if (!opening) {
      opening = this.#open(id).finally(() => {
        this.#opening.delete(id);
        this.#deletedWhileOpening.delete(id);
      });
      this.#opening.set(id, opening);
    }
    return opening;
  }

  async #open(id: string): Promise<LectureRoom> {
    const record = await this.store.getLecture(id);
    // After the read: deleted meanwhile? (Opened meanwhile cannot be: #opening holds one read per lecture.)
    if (!record || this.#deletedWhileOpening.has(id)) throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
    const { stageSize, participants, lobby } = this.limits;
    const lecture = new Lecture({ ...record, stageSize, maxParticipants: participants, maxLobby: lobby });
    const media = new LectureMedia(this.pool, this.logger, id, this.limits.media);
    const room = new LectureRoom(lecture, media, {
      store: this.store,
      record,
      attendance: this.attendance,
      notify: this.#notify,
      chat: () => this.#services?.chat,
    });
    let state = lecture.state;
    let written: StoredState = { state: record.state, locked: record.locked, startedAt: record.startedAt, endedAt: record.endedAt };
    lecture.on('statechanged', (view) => {
      if (view.state !== state) this.#attendanceFollows(lecture, view.state, view.endedAt ?? Date.now());
      state = view.state;
      const patch: StoredState = { state: view.state, locked: view.locked, startedAt: view.startedAt, endedAt: view.endedAt };
      // Most changes are of the counts alone (someone came or went): nothing stored changed, no
      // write (two per attendee before, on the join path's event loop, and a round trip each on PostgreSQL).
      if (sameStoredState(patch, written)) return;
      written = patch;
      // In order, not awaited: the lecture's state is the Lecture's; the store follows it.
      void this.#stateWrites.push(id, () => this.store.updateLecture(id, patch));
    });
    // Bounded by the hooks themselves; a hook that fails leaves the room as one node's (logged by the hook).
    for (const hook of this.#openHooks) await hook(room).catch(() => undefined);
    if (this.#deletedWhileOpening.has(id)) {
      room.close();
      throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
    }
    this.#rooms.set(id, room);
    this.logger.info({ lectureId: id }, 'lecture opened');
    this.emit('roomcreated', room);
    return room;
  }

  /**
   * `hook` runs as each room opens, before anyone is let in and before `roomcreated` (cluster mode:
   * the node copies the origin's room). Its failure is its own business: the room opens anyway.
   */
  onOpen(hook: (room: LectureRoom) => Promise<void>): void {
    this.#openHooks.push(hook);
  }

  /** Keeps a room open while `held` says so, even with nobody in it (call releaseIfEmpty when it stops). */
  holdOpen(held: (lectureId: string) => boolean): void {
    this.#holds.push(held);
  }

  /** Closes the room when nobody is left in it and nothing holds it (its state stays in the store). */
  releaseIfEmpty(id: string): void {
    const room = this.#rooms.get(id);
    if (!room || !room.lecture.isEmpty || this.#holds.some((held) => held(id))) return;
    this.#rooms.delete(id);
    room.close();
    this.logger.info({ lectureId: id }, 'lecture closed (empty)');
    this.emit('roomclosed', room);
  }

  /** The lecture is being deleted: everyone in it is let go (see `roomdeleted`) and the room closes. */
  deleteRoom(id: string): void {
    if (this.#opening.has(id)) this.#deletedWhileOpening.add(id);
    const room = this.#rooms.get(id);
    if (!room) return;
    this.emit('roomdeleted', room);
    this.#rooms.delete(id);
    room.close();
    this.logger.info({ lectureId: id }, 'lecture closed (deleted)');
    this.emit('roomclosed', room);
  }

  /** Some of a lecture's links were rotated (the admin API): see `linksrotated`. */
  linksRotated(lectureId: string): void {
    this.emit('linksrotated', lectureId);
  }

  /**
   * Attendance ends with the lecture: at the end every open session closes at the end time (a
   * kiosk left open no longer counts); if the trainer goes live again, whoever is present starts
   * a new session.
   */
  #attendanceFollows(lecture: Lecture, state: Lecture['state'], endedAt: number): void {
    // This node's own people: each node writes its own participants' attendance.
    for (const p of lecture.localParticipants) {
      if (state === 'ended') this.attendance.close(lecture.id, p, endedAt, 'lecture-ended');
      else if (state === 'live') void this.attendance.open(lecture.id, p, Date.now());
    }
  }

  /** Writes down that everyone present is still here (one held for a resume, with no connection, is not). */
  touchAttendance(at = Date.now()): Promise<void> {
    return this.attendance.touch(
      this.rooms().flatMap((r) => r.lecture.participants.filter((p) => r.attachmentOf(p.id) !== undefined)),
      at,
    );
  }

  /** Every write the rooms queued (attendance, lecture states) is in the store. */
  async settled(): Promise<void> {
    await Promise.all([this.attendance.settled(), this.#stateWrites.settled()]);
  }

  /** Shutting down: the last heartbeat, the media closed, every queued write in the store. */
  async closeAll(): Promise<void> {
    const touched = this.touchAttendance().catch((error: unknown) => this.logger.warn({ err: error }, 'attendance: could not write the last heartbeat'));
    for (const room of this.#rooms.values()) room.media.close();
    this.#rooms.clear();
    await touched;
    await this.settled();
  }
}
