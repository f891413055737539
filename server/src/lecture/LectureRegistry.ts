import { EventEmitter } from 'node:events';
import { TeleclassError } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { LectureMedia, type MediaLimits } from '../media/LectureMedia.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { Store } from '../store/Store.js';
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

/**
 * The lectures in progress on this server, by id, opened from the store when someone joins and
 * closed when nobody is left. State changes are written back to the store as they happen.
 */
export class LectureRegistry extends EventEmitter<RegistryEvents> {
  readonly #rooms = new Map<string, LectureRoom>();
  /** What else keeps an empty room open (a studio feed that is connected). */
  readonly #holds: ((lectureId: string) => boolean)[] = [];
  #services: RoomServices | undefined;
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
  getOrCreate(id: string): LectureRoom {
    const open = this.#rooms.get(id);
    if (open) return open;
    const record = this.store.getLecture(id);
    if (!record) throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
    const { stageSize, participants, lobby } = this.limits;
    const lecture = new Lecture({ ...record, stageSize, maxParticipants: participants, maxLobby: lobby });
    const media = new LectureMedia(this.pool, this.logger, id, this.limits.media);
    const room = new LectureRoom(lecture, media, { store: this.store, notify: this.#notify, chat: () => this.#services?.chat });
    let state = lecture.state;
    lecture.on('statechanged', (view) => {
      if (view.state !== state) this.#attendanceFollows(lecture, view.state, view.endedAt ?? Date.now());
      state = view.state;
      this.store.updateLecture(id, {
        state: view.state,
        locked: view.locked,
        startedAt: view.startedAt,
        endedAt: view.endedAt,
      });
    });
    this.#rooms.set(id, room);
    this.logger.info({ lectureId: id }, 'lecture opened');
    this.emit('roomcreated', room);
    return room;
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
    for (const p of lecture.participants) {
      if (state === 'ended' && p.attendanceId) {
        this.store.recordLeave(p.attendanceId, endedAt, 'lecture-ended');
        p.attendanceId = null;
      } else if (state === 'live' && !p.attendanceId) {
        const at = Date.now();
        p.attendanceId = this.store.recordJoin({ lectureId: lecture.id, identity: p.identity, role: p.role, name: p.displayName, site: p.site, joinedAt: at }).id;
      }
    }
  }

  /** Writes down that everyone present is still here (one held for a resume, with no connection, is not). */
  touchAttendance(at = Date.now()): void {
    const ids = this.rooms().flatMap((r) => r.lecture.participants.flatMap((p) => (p.attendanceId && r.attachmentOf(p.id) ? [p.attendanceId] : [])));
    if (ids.length > 0) this.store.touchAttendance(ids, at);
  }

  closeAll(): void {
    this.touchAttendance();
    for (const room of this.#rooms.values()) room.media.close();
    this.#rooms.clear();
  }
}
