import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';
import type { RecordingChapter, Store } from '../store/Store.js';
import { LectureRecorder, type ChapterDetail } from './LectureRecorder.js';

/** Where a stopped recording goes to become one MP4 (the post-processing queue). */
export interface RecordingJobs {
  enqueue(recordingId: string): void;
}

/**
 * Which lectures are being recorded. The trainer starts and stops a recording; a lecture set to
 * record automatically starts when it goes live. A recording stops with the lecture's end or when
 * everyone has left, and is then handed to the post-processing queue.
 */
export class RecordingManager {
  readonly #recorders = new Map<string, LectureRecorder>();

  constructor(
    private readonly registry: LectureRegistry,
    private readonly store: Store,
    private readonly dataDir: string,
    private readonly jobs: RecordingJobs,
    private readonly logger: Logger,
  ) {
    registry.on('roomcreated', (room) => {
      room.lecture.on('statechanged', (view) => this.#follow(room, view));
    });
    registry.on('roomclosed', (room) => void this.stop(room.lecture.id).catch(() => undefined));
  }

  isRecording(lectureId: string): boolean {
    return this.#recorders.has(lectureId);
  }

  start(room: LectureRoom): LectureView {
    const { lecture } = room;
    if (this.#recorders.has(lecture.id)) throw new TeleclassError('INVALID_STATE', 'The lecture is already being recorded.');
    if (lecture.state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
    const recorder = LectureRecorder.start(room, this.store, this.dataDir, this.logger);
    this.#recorders.set(lecture.id, recorder);
    lecture.setRecording(recorder.startedAt);
    return lecture.view();
  }

  /**
   * Stops the recording at once for everyone (REC goes off); the answer resolves when its files are
   * finished and it is queued for composing (a second or so; up to IDLE_TIMEOUT_S for a quiet stream).
   */
  stop(lectureId: string): Promise<void> {
    const recorder = this.#recorders.get(lectureId);
    if (!recorder) return Promise.reject(new TeleclassError('INVALID_STATE', 'The lecture is not being recorded.'));
    this.#recorders.delete(lectureId);
    this.registry.get(lectureId)?.lecture.setRecording(null);
    return recorder.stop().then((record) => void this.jobs.enqueue(record.id));
  }

  chapter(lectureId: string, kind: RecordingChapter['kind'], detail: ChapterDetail = {}): void {
    this.#recorders.get(lectureId)?.chapter(kind, detail);
  }

  /** Shutting down: every recording ends its files cleanly. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#recorders.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }

  #follow(room: LectureRoom, view: LectureView): void {
    const id = room.lecture.id;
    const recording = this.#recorders.has(id);
    if (view.state === 'live' && !recording && view.recordingSince === null && this.store.getLecture(id)?.autoRecord) {
      try {
        this.start(room);
      } catch (error) {
        this.logger.warn({ err: error, lectureId: id }, 'could not start recording automatically');
      }
    }
    if (view.state === 'ended' && recording) void this.stop(id).catch(() => undefined);
  }
}
