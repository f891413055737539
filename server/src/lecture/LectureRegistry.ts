import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.js';
import { LectureMedia } from '../media/LectureMedia.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import { Lecture } from './Lecture.js';

/** A lecture and its media, created together and closed together. */
export interface LectureRoom {
  readonly lecture: Lecture;
  readonly media: LectureMedia;
}

export type RegistryEvents = { roomcreated: [LectureRoom]; roomclosed: [LectureRoom] };

/** The lectures in progress on this server, by id. A lecture nobody is in is closed. */
export class LectureRegistry extends EventEmitter<RegistryEvents> {
  readonly #rooms = new Map<string, LectureRoom>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly logger: Logger,
  ) {
    super();
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

  getOrCreate(id: string): LectureRoom {
    let room = this.#rooms.get(id);
    if (!room) {
      room = { lecture: new Lecture(id), media: new LectureMedia(this.pool, this.logger, id) };
      this.#rooms.set(id, room);
      this.logger.info({ lectureId: id }, 'lecture opened');
      this.emit('roomcreated', room);
    }
    return room;
  }

  /** Closes the room when nobody is left in it. */
  releaseIfEmpty(id: string): void {
    const room = this.#rooms.get(id);
    if (!room || !room.lecture.isEmpty) return;
    this.#rooms.delete(id);
    room.media.close();
    room.lecture.removeAllListeners();
    room.media.removeAllListeners();
    this.logger.info({ lectureId: id }, 'lecture closed (empty)');
    this.emit('roomclosed', room);
  }

  closeAll(): void {
    for (const room of this.#rooms.values()) room.media.close();
    this.#rooms.clear();
  }
}
