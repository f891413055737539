import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FEED_PEER_ID, TeleclassError, type ProducerView } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';
import { slugify } from '../store/slug.js';
import type { RecordingChapter, RecordingPatch, RecordingRecord, RecordingTrack, Store } from '../store/Store.js';
import type { RecordingTap, TapLayers } from '../media/RecordingTap.js';
import { IDLE_TIMEOUT_S, TrackWriter } from './TrackWriter.js';

/** Who or what a chapter is about: the names given the floor, an answered question's text. */
export interface ChapterDetail {
  names?: string[];
  text?: string;
}

/** Layer switches kept per track (a flapping sender must not grow the record without end). */
const MAX_LAYER_CHANGES = 200;

/**
 * A raw file's name without its turn and extension: `trainer-aygun-memmedova-camera` (names
 * transliterated, Azerbaijani letters included: store/slug.ts).
 */
export const trackFileBase = (role: string, name: string, source: string) => `${role}-${slugify(name, 40) || 'someone'}-${source}`;

/**
 * Records one lecture while it runs: every stream worth keeping (the trainer's camera, microphone
 * and slides; the microphone of whoever has the floor) goes through a recording tap into its own
 * ffmpeg, one file per stream per turn; tracks and chapters are kept in the store as they happen.
 */
export class LectureRecorder {
  readonly #room: LectureRoom;
  readonly #store: Store;
  readonly #log: Logger;
  #record: RecordingRecord;
  readonly #writers = new Map<string, TrackWriter>(); // producerId → writer
  readonly #starting = new Set<string>();
  readonly #names = new Map<string, number>();
  readonly #detach: (() => void)[] = [];
  #stopped = false;
  /** The writes to the store, in order (see #save). */
  #saving: Promise<void> = Promise.resolve();
  /** Sizes are written down every few seconds, so a running recording shows its size. */
  readonly #sizes = setInterval(() => this.#refreshSizes(), 5000).unref();

  private constructor(room: LectureRoom, store: Store, record: RecordingRecord, logger: Logger) {
    this.#room = room;
    this.#store = store;
    this.#record = record;
    this.#log = logger.child({ component: 'recorder', lectureId: room.lecture.id, recordingId: record.id });
  }

  /**
   * Writes the new recording down, then (if `stillWanted()` after that await: the lecture still
   * live, nobody else started one) starts recording; else the record is taken back and
   * LECTURE_NOT_LIVE thrown.
   */
  static async start(room: LectureRoom, store: Store, dataDir: string, logger: Logger, stillWanted: () => boolean = () => true): Promise<LectureRecorder> {
    const lectureId = room.lecture.id;
    const startedAt = Date.now();
    const dir = path.join(dataDir, 'recordings', lectureId, new Date(startedAt).toISOString().replace(/[:.]/g, '-'));
    mkdirSync(dir, { recursive: true });
    const record = await store.createRecording({ lectureId, dir, startedAt });
    if (!stillWanted()) {
      await store.deleteRecording(record.id);
      rmSync(dir, { recursive: true, force: true });
      throw new TeleclassError('LECTURE_NOT_LIVE');
    }
    const recorder = new LectureRecorder(room, store, record, logger);
    recorder.#save({ chapters: [{ atMs: 0, kind: 'start' }] });
    recorder.#listen();
    for (const producer of room.media.producers()) void recorder.#add(producer);
    recorder.#log.info({ dir }, 'recording started');
    return recorder;
  }

  /**
   * Goes on with a recording a crash cut off (its cut tracks already ended, see resume.ts): the
   * same record and folder, status 'recording' again, an "Interrupted" chapter at the cut; new
   * files are numbered after the old ones, so nothing written before is overwritten.
   */
  static resume(room: LectureRoom, store: Store, record: RecordingRecord, cut: { tracks: RecordingTrack[]; cutAtMs: number }, logger: Logger): LectureRecorder {
    const recorder = new LectureRecorder(room, store, record, logger);
    for (const t of record.tracks) {
      const m = /^(.*)-(\d+)\.mk[av]$/.exec(t.file);
      if (m) recorder.#names.set(m[1]!, Math.max(recorder.#names.get(m[1]!) ?? 0, Number(m[2])));
    }
    const chapter: RecordingChapter = { atMs: cut.cutAtMs, kind: 'interrupted' };
    recorder.#save({
      status: 'recording',
      tracks: cut.tracks,
      chapters: [...record.chapters, chapter].sort((a, b) => a.atMs - b.atMs),
    });
    recorder.#listen();
    for (const producer of room.media.producers()) void recorder.#add(producer);
    recorder.#log.warn({ dir: record.dir, gapFromMs: cut.cutAtMs, gapToMs: Date.now() - record.startedAt }, 'recording resumed after a crash');
    return recorder;
  }

  get record(): RecordingRecord {
    return this.#record;
  }

  get startedAt(): number {
    return this.#record.startedAt;
  }

  /** A chapter point: its kind and the names or text it is about (put into words when read). */
  chapter(kind: RecordingChapter['kind'], detail: ChapterDetail = {}, at = Date.now()): void {
    if (this.#stopped) return;
    const chapter: RecordingChapter = {
      atMs: Math.max(0, at - this.startedAt),
      kind,
      ...(detail.names && { names: detail.names.slice(0, 20).map((n) => n.slice(0, 80)) }),
      ...(detail.text !== undefined && { text: detail.text.slice(0, 160) }),
    };
    this.#save({ chapters: [...this.#record.chapters, chapter].sort((a, b) => a.atMs - b.atMs) });
  }

  /** Ends every file cleanly, marks the recording stopped and answers its final record. */
  async stop(): Promise<RecordingRecord> {
    if (this.#stopped) return this.#record;
    this.#stopped = true;
    const endedAt = Date.now(); // the recording ends now, however long ffmpeg takes to close files
    clearInterval(this.#sizes);
    for (const off of this.#detach.splice(0)) off();
    await Promise.all([...this.#writers.values()].map((w) => w.stop()));
    this.#save({ status: 'stopped', endedAt });
    await this.#saving; // every change is in the store before the recording is handed on
    this.#log.info({ tracks: this.#record.tracks.length }, 'recording stopped');
    return this.#record;
  }

  #listen(): void {
    const { media, lecture } = this.#room;
    const onAdded = (view: ProducerView) => void this.#add(view);
    const onClosed = (producerId: string) => void this.#writers.get(producerId)?.stop();
    const onPaused = (producerId: string, paused: boolean) => {
      const view = media.producers().find((p) => p.id === producerId);
      if (!paused && view) void this.#add(view); // a new file after a long pause ended the old one
    };
    let onStage = lecture.stage().map((s) => s.peerId).join();
    const onStageChanged = (stage: { displayName: string; peerId: string }[]) => {
      const now = stage.map((s) => s.peerId).join();
      if (now === onStage) return;
      onStage = now;
      this.chapter('floor', { names: stage.map((s) => s.displayName) });
    };
    media.on('produceradded', onAdded);
    media.on('producerclosed', onClosed);
    media.on('producerpaused', onPaused);
    lecture.on('stagechanged', onStageChanged);
    this.#detach.push(
      () => media.off('produceradded', onAdded),
      () => media.off('producerclosed', onClosed),
      () => media.off('producerpaused', onPaused),
      () => lecture.off('stagechanged', onStageChanged),
    );
  }

  /** Whether a stream is kept: all the trainer sends; of others, only the microphone (the floor). */
  #wanted(view: ProducerView): boolean {
    if (view.peerId === FEED_PEER_ID) return true; // the studio feed is the trainer's picture and sound
    const peer = this.#room.lecture.participant(view.peerId);
    return !!peer && (peer.role === 'trainer' || view.source === 'microphone');
  }

  async #add(view: ProducerView): Promise<void> {
    if (this.#stopped || this.#writers.has(view.id) || this.#starting.has(view.id) || !this.#wanted(view)) return;
    const peer = view.peerId === FEED_PEER_ID ? { role: 'trainer' as const, displayName: 'studio feed' } : this.#room.lecture.participant(view.peerId)!;
    const sharedAt = Date.now(); // the chapter is when the share began, not when its file did
    this.#starting.add(view.id);
    try {
      const base = trackFileBase(peer.role, peer.displayName, view.source);
      const n = (this.#names.get(base) ?? 0) + 1;
      this.#names.set(base, n);
      const file = `${base}-${n}.${view.kind === 'audio' ? 'mka' : 'mkv'}`;
      const tap = await this.#room.media.tap(view.id);
      const writer = await TrackWriter.start(tap, path.join(this.#record.dir, file), this.#log);
      if (this.#stopped) return void writer.stop();
      this.#writers.set(view.id, writer);
      const track: RecordingTrack = {
        file, kind: view.kind, source: view.source, role: peer.role, name: peer.displayName,
        startMs: Date.now() - this.startedAt, endMs: null, bytes: 0,
      };
      this.#save({ tracks: [...this.#record.tracks, track] });
      if (view.source === 'screen') this.chapter('slides', {}, sharedAt);
      this.#watchLayers(tap, file);
      // The file's time 0 is its first frame, which may come later than the tap (a share that
      // has only just begun): that is the track's start, for placing it in the composed video.
      void writer.firstMedia.then((at) => {
        const startMs = Math.max(0, at - this.startedAt);
        track.startMs = startMs;
        this.#save({ tracks: this.#record.tracks.map((t) => (t.file === file ? { ...t, startMs } : t)) });
      });
      void writer.ended.then(() => {
        if (this.#writers.get(view.id) === writer) this.#writers.delete(view.id);
        // Asked to stop (the stream or the recording ended), or ended by ffmpeg itself when the
        // stream went quiet IDLE_TIMEOUT_S before.
        const end = writer.stoppedAt ?? Date.now() - IDLE_TIMEOUT_S * 1000;
        const endMs = Math.max(track.startMs, end - this.startedAt);
        this.#save({ tracks: this.#record.tracks.map((t) => (t.file === file ? { ...t, endMs, bytes: writer.bytes } : t)) });
      });
    } catch (error) {
      if (!this.#stopped) this.#log.warn({ err: error, producerId: view.id }, 'could not record a stream');
    } finally {
      this.#starting.delete(view.id);
    }
  }

  /**
   * Writes into the track each simulcast layer it switched to (a switch changes the resolution
   * of the file: the composer scales every frame to the canvas, this says when and why). The
   * first layer is written too; a stream that stopped sending (no layer) is not a switch.
   */
  #watchLayers(tap: RecordingTap, file: string): void {
    const write = (layers: TapLayers) => {
      if (this.#stopped || layers === undefined) return;
      const track = this.#record.tracks.find((t) => t.file === file);
      const list = track?.layers ?? [];
      if (!track || list.at(-1)?.spatialLayer === layers.spatialLayer || list.length >= MAX_LAYER_CHANGES) return;
      const change = { atMs: Math.max(0, Date.now() - this.startedAt), spatialLayer: layers.spatialLayer, ...(layers.temporalLayer !== undefined && { temporalLayer: layers.temporalLayer }) };
      if (list.length > 0) this.#log.info({ file, from: list.at(-1)!.spatialLayer, to: layers.spatialLayer }, 'recording: simulcast layer changed');
      this.#save({ tracks: this.#record.tracks.map((t) => (t.file === file ? { ...t, layers: [...list, change] } : t)) });
    };
    write(tap.layers);
    tap.onLayersChange(write);
  }

  #refreshSizes(): void {
    const bytes = new Map([...this.#writers.values()].map((w) => [path.basename(w.file), w.bytes]));
    if (bytes.size === 0) return;
    this.#save({ tracks: this.#record.tracks.map((t) => (bytes.has(t.file) ? { ...t, bytes: bytes.get(t.file)! } : t)) });
  }

  /**
   * Every change goes to the store at once, one write after the other in the order made (the
   * record here is the truth; the store follows it): a crash loses nothing already recorded.
   */
  #save(patch: RecordingPatch): void {
    this.#record = { ...this.#record, ...patch };
    const id = this.#record.id;
    this.#saving = this.#saving
      .then(() => this.#store.updateRecording(id, patch))
      .then(
        () => undefined,
        (error: unknown) => this.#log.error({ err: error }, 'recording: could not write a change to the store'),
      );
  }
}
