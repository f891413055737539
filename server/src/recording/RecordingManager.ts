import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';
import type { RecordingChapter, Store } from '../store/Store.js';
import { LectureRecorder, type ChapterDetail } from './LectureRecorder.js';
import { endCutTracks } from './resume.js';

/** Where a stopped recording goes to become one MP4 (the post-processing queue). */
export interface RecordingJobs {
  /** Never rejects. */
  enqueue(recordingId: string): Promise<unknown>;
}

/**
 * Which lectures are being recorded. The trainer starts and stops a recording; a lecture set to
 * record automatically starts when it goes live. A recording stops with the lecture's end or when
 * everyone has left, and is then handed to the post-processing queue.
 */
export class RecordingManager {
  readonly #recorders = new Map<string, LectureRecorder>();
  /** Recordings a crash cut off, waiting for their lecture to be live again: lecture id → recording. */
  readonly #held = new Map<string, { recordingId: string; timer: NodeJS.Timeout }>();
  readonly #resuming = new Set<string>();
  /** Lectures whose recording is being written down (start awaits the store). */
  readonly #starting = new Set<string>();
  /** Automatic starts under way (they read the store first), by lecture. */
  readonly #autoStarts = new Map<string, Promise<void>>();
  /** Each open room's lecture state as last seen: an automatic recording starts only as it goes live. */
  readonly #states = new Map<string, LectureView['state']>();

  constructor(
    private readonly registry: LectureRegistry,
    private readonly store: Store,
    private readonly dataDir: string,
    private readonly jobs: RecordingJobs,
    private readonly logger: Logger,
    /** RECORDING_RESUME_SECONDS in ms: how long a cut recording waits for its lecture (0: never). */
    private readonly resumeWindowMs = 0,
  ) {
    registry.on('roomcreated', (room) => {
      this.#states.set(room.lecture.id, room.lecture.state);
      room.lecture.on('statechanged', (view) => this.#follow(room, view));
      if (room.lecture.state === 'live') void this.#resume(room);
    });
    registry.on('roomclosed', (room) => {
      this.#states.delete(room.lecture.id);
      void this.stop(room.lecture.id).catch(() => undefined);
    });
  }

  isRecording(lectureId: string): boolean {
    return this.#recorders.has(lectureId);
  }

  async start(room: LectureRoom): Promise<LectureView> {
    const { lecture } = room;
    if (this.#recorders.has(lecture.id) || this.#starting.has(lecture.id)) {
      throw new TeleclassError('INVALID_STATE', 'The lecture is already being recorded.');
    }
    if (lecture.state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
    this.#starting.add(lecture.id);
    let recorder: LectureRecorder;
    try {
      // After writing the record down: the room still open here and the lecture still live.
      const stillWanted = () => !room.closed && this.registry.get(lecture.id) === room && lecture.state === 'live';
      recorder = await LectureRecorder.start(room, this.store, this.dataDir, this.logger, stillWanted);
    } finally {
      this.#starting.delete(lecture.id);
    }
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
    return recorder.stop().then(async (record) => void (await this.jobs.enqueue(record.id)));
  }

  chapter(lectureId: string, kind: RecordingChapter['kind'], detail: ChapterDetail = {}): void {
    this.#recorders.get(lectureId)?.chapter(kind, detail);
  }

  /**
   * On start, before the composing queue resumes: each recording a crash cut off ('interrupted')
   * whose lecture is still live waits for the lecture to be live here again and then goes on
   * (resume); if that does not happen within the window it is composed as it is. Answers the
   * ids held back from composing.
   */
  async holdInterrupted(): Promise<string[]> {
    if (this.resumeWindowMs <= 0) return [];
    for (const r of await this.store.listRecordings()) {
      // Newest first: one per lecture; an older cut one of the same lecture is composed as it is.
      if (r.status !== 'interrupted' || this.#held.has(r.lectureId) || (await this.store.getLecture(r.lectureId))?.state !== 'live') continue;
      const timer = setTimeout(() => this.#release(r.lectureId), this.resumeWindowMs).unref();
      this.#held.set(r.lectureId, { recordingId: r.id, timer });
    }
    if (this.#held.size > 0) this.logger.info({ held: this.#held.size }, 'recording: cut recording(s) wait for their lecture to resume');
    return [...this.#held.values()].map((h) => h.recordingId);
  }

  /** Shutting down: every recording ends its files cleanly. */
  async stopAll(): Promise<void> {
    for (const lectureId of [...this.#held.keys()]) clearTimeout(this.#held.get(lectureId)!.timer);
    this.#held.clear();
    await Promise.all([...this.#recorders.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }

  #follow(room: LectureRoom, view: LectureView): void {
    const id = room.lecture.id;
    const wentLive = view.state === 'live' && this.#states.get(id) !== 'live';
    this.#states.set(id, view.state);
    if (this.#held.has(id)) {
      if (view.state === 'live') void this.#resume(room);
      if (view.state === 'ended') this.#release(id);
      return;
    }
    const recording = this.#recorders.has(id);
    // Only as it goes live: a state change while live (someone came or went, a hand went up) is
    // not a reason to read the store, nor to record again what the trainer stopped.
    if (wentLive && !recording && view.recordingSince === null && !this.#autoStarts.has(id)) {
      const starting = this.#autoRecord(room).finally(() => this.#autoStarts.delete(id));
      this.#autoStarts.set(id, starting);
    }
    if (view.state === 'ended' && recording) void this.stop(id).catch(() => undefined);
  }

  /** Resolves once the automatic recording that going live may start has started (or not); never rejects. */
  async started(lectureId: string): Promise<void> {
    await this.#autoStarts.get(lectureId);
  }

  /** A lecture set to record by itself went live: it starts (start checks again that it still should). Never rejects. */
  async #autoRecord(room: LectureRoom): Promise<void> {
    const id = room.lecture.id;
    try {
      if (!(await this.store.getLecture(id))?.autoRecord) return;
      // After the read: still live, still not recorded (a trainer may have started one meanwhile).
      if (room.lecture.state !== 'live' || this.#recorders.has(id) || this.#starting.has(id)) return;
      await this.start(room);
    } catch (error) {
      this.logger.warn({ err: error, lectureId: id }, 'could not start recording automatically');
    }
  }

  /** The held recording goes to composing as it is (its lecture ended, or did not come back in time). */
  #release(lectureId: string): void {
    const held = this.#held.get(lectureId);
    if (!held) return;
    clearTimeout(held.timer);
    this.#held.delete(lectureId);
    void this.jobs.enqueue(held.recordingId);
  }

  /** The lecture is live here again: its held recording goes on (a new segment, the gap a chapter). */
  async #resume(room: LectureRoom): Promise<void> {
    const id = room.lecture.id;
    const held = this.#held.get(id);
    if (!held || this.#resuming.has(id)) return;
    this.#resuming.add(id);
    try {
      const record = await this.store.getRecording(held.recordingId);
      if (!record || record.status !== 'interrupted') {
        this.#release(id);
        return;
      }
      const cut = await endCutTracks(record, Math.max(0, Date.now() - record.startedAt));
      // Across the probing: still held, the same room, still live, nobody started another recording.
      if (this.#held.get(id) !== held || this.registry.get(id) !== room || room.lecture.state !== 'live' || this.#recorders.has(id)) return;
      const current = await this.store.getRecording(record.id);
      if (!current || current.status !== 'interrupted') return this.#release(id);
      clearTimeout(held.timer);
      this.#held.delete(id);
      const recorder = LectureRecorder.resume(room, this.store, current, cut, this.logger);
      this.#recorders.set(id, recorder);
      room.lecture.setRecording(recorder.startedAt);
    } catch (error) {
      this.logger.warn({ err: error, lectureId: id }, 'recording: could not resume the cut recording');
    } finally {
      this.#resuming.delete(id);
    }
  }
}
