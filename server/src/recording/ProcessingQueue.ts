/**
 * The background queue of post-processing jobs: FIFO, at most `concurrency` at once (RECORDING_JOBS,
 * default 1, so composing never competes with live lectures for more than one core), enqueue()
 * idempotent, resume() on start for whatever a restart left undone, close() stops running jobs
 * (their records stay 'processing' and are done again from scratch on the next start).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import { PROCESSABLE, runRecordingJob, type JobOptions, type JobOutcome } from './jobs.js';

export interface ProcessingQueueOptions {
  store: Store;
  /** Jobs at once (at least 1). */
  concurrency?: number;
  logger?: Logger;
  /** The composer (tests may wrap the real one to watch it). */
  compose?: JobOptions['compose'];
}

export interface ProcessingQueueEvents {
  /** A job started; `pid` comes with 'spawn' once its ffmpeg runs. */
  start: [id: string];
  spawn: [id: string, pid: number];
  done: [id: string, outcome: JobOutcome];
  idle: [];
}

export class ProcessingQueue extends EventEmitter<ProcessingQueueEvents> {
  readonly #store: Store;
  readonly #concurrency: number;
  readonly #logger: Logger | undefined;
  readonly #compose: JobOptions['compose'];
  readonly #pending: string[] = [];
  readonly #running = new Map<string, { abort: AbortController; done: Promise<JobOutcome> }>();
  #closed = false;

  constructor(options: ProcessingQueueOptions) {
    super();
    this.#store = options.store;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.#logger = options.logger;
    this.#compose = options.compose;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  /** Ids waiting, oldest first. */
  get pending(): readonly string[] {
    return [...this.#pending];
  }

  /** Ids being composed now. */
  get running(): readonly string[] {
    return [...this.#running.keys()];
  }

  has(id: string): boolean {
    return this.#running.has(id) || this.#pending.includes(id);
  }

  /**
   * Queues the recording for composing; false when it is queued or running already, unknown, or
   * not in a state to compose ('stopped', 'interrupted', or 'processing' left by a restart).
   * Never rejects: a store that cannot be read is logged (the next start queues it again).
   */
  async enqueue(id: string): Promise<boolean> {
    if (this.#closed || this.has(id)) return false;
    const record = await this.#store.getRecording(id).catch((error: unknown) => {
      this.#logger?.error({ err: error, recordingId: id }, 'recording: could not read it to queue it');
      return undefined;
    });
    if (!record || !PROCESSABLE.has(record.status)) return false;
    // After the read: not closed and not queued by another call meanwhile.
    if (this.#closed || this.has(id)) return false;
    this.#pending.push(id);
    this.#pump();
    return true;
  }

  /**
   * On start: queues every recording left 'stopped', 'interrupted' or 'processing', oldest first,
   * but those in `except` (cut recordings waiting to go on: RecordingManager.holdInterrupted).
   */
  async resume(except: ReadonlySet<string> = new Set()): Promise<number> {
    const todo = (await this.#store.listRecordings()).filter((r) => PROCESSABLE.has(r.status) && !except.has(r.id)).reverse();
    let queued = 0;
    for (const r of todo) if (await this.enqueue(r.id)) queued++;
    if (queued > 0) this.#logger?.info({ queued }, `recording: ${queued} recording(s) queued for composing`);
    return queued;
  }

  /** Drops the recording from the queue, or stops its running job (before deleting it). */
  async cancel(id: string): Promise<void> {
    const at = this.#pending.indexOf(id);
    if (at >= 0) this.#pending.splice(at, 1);
    const job = this.#running.get(id);
    if (job) {
      job.abort.abort();
      await job.done;
    }
  }

  /** Resolves when nothing is queued or running. */
  async onIdle(): Promise<void> {
    while (this.#running.size > 0 || this.#pending.length > 0) {
      await Promise.all([...this.#running.values()].map((j) => j.done));
      if (this.#running.size === 0 && this.#pending.length > 0 && this.#closed) return;
    }
  }

  /** Stops taking jobs and stops the running ones (they are redone on the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#pending.length = 0;
    const jobs = [...this.#running.values()];
    for (const j of jobs) j.abort.abort();
    await Promise.all(jobs.map((j) => j.done));
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#concurrency && this.#pending.length > 0) {
      const id = this.#pending.shift()!;
      const abort = new AbortController();
      this.emit('start', id);
      const done = runRecordingJob(id, {
        store: this.#store,
        logger: this.#logger,
        signal: abort.signal,
        onSpawn: (pid) => this.emit('spawn', id, pid),
        ...(this.#compose && { compose: this.#compose }),
      })
        .catch((error: unknown) => {
          // runRecordingJob does not throw; a store failure (closed database) might.
          this.#logger?.error({ err: error, recordingId: id }, 'recording: job crashed');
          return 'failed' as const;
        })
        .then((outcome) => {
          this.#running.delete(id);
          this.emit('done', id, outcome);
          this.#pump();
          if (this.#running.size === 0 && this.#pending.length === 0) this.emit('idle');
          return outcome;
        });
      this.#running.set(id, { abort, done });
    }
  }
}
