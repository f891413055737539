// The post-processing job and its queue with the real ffmpeg/ffprobe on synthetic raw tracks.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessingQueue } from '../../src/recording/ProcessingQueue.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/Store.js';
import { tempDir, waitFor } from '../helpers.js';
import { storedRecording } from '../recordingFixtures.js';

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  format: { duration: string };
  chapters: { start_time: string; end_time: string; tags: { title: string } }[];
}
const ffprobe = (file: string): Probe =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-show_chapters', '-of', 'json', file], { encoding: 'utf8' })) as Probe;

const SHORT = (seconds: number) => [
  { file: 'trainer-camera-1.mkv', kind: 'video' as const, source: 'camera' as const, role: 'trainer' as const, name: 'T', startMs: 0, endMs: seconds * 1000, seconds },
  { file: 'trainer-microphone-1.mka', kind: 'audio' as const, source: 'microphone' as const, role: 'trainer' as const, name: 'T', startMs: 0, endMs: seconds * 1000, seconds },
];

// Composing shares the machine's two cores with the rest of the suite: generous time limits.
describe('recording post-processing (real ffmpeg)', { timeout: 240_000 }, () => {
  let dataDir: string;
  let store: Store;
  let lectureId: string;
  const queues: ProcessingQueue[] = [];
  const queue = (concurrency = 1) => {
    const q = new ProcessingQueue({ store, concurrency });
    queues.push(q);
    return q;
  };
  beforeEach(async () => {
    dataDir = tempDir('recjobs');
    store = await openStore(dataDir);
    lectureId = (await store.createLecture({ title: 'Budget law', scheduledStart: new Date().toISOString(), trainerName: 'T', sites: ['Ganja'] })).id;
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    await store.close();
  });

  it('composes the lecture into one MP4: h264 + aac, 10 s, chapters, progress to 100', async () => {
    const record = await storedRecording(store, dataDir, lectureId);
    const q = queue();
    const progress: number[] = [];
    q.on('start', () => {
      const timer = setInterval(() => {
        void store.getRecording(record.id).then((r) => {
          const p = r?.progress;
          if (p !== undefined && p !== progress.at(-1)) progress.push(p);
        }, () => undefined);
      }, 50);
      q.once('done', () => clearInterval(timer));
    });
    const started = Date.now();
    expect(await q.enqueue(record.id)).toBe(true);
    expect(await q.enqueue(record.id)).toBe(false); // idempotent
    await q.onIdle();
    const composeMs = Date.now() - started;
    const done = (await store.getRecording(record.id))!;
    expect(done).toMatchObject({ status: 'ready', progress: 100, output: 'recording.mp4', error: null });
    const file = path.join(record.dir, 'recording.mp4');
    expect(done.outputBytes).toBeGreaterThan(10_000);
    const info = ffprobe(file);
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(info.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    expect(Math.abs(Number(info.format.duration) - 10)).toBeLessThanOrEqual(1);
    expect(info.chapters.map((c) => Number(c.start_time))).toEqual([0, 3, 6, 8]);
    // In the lecture's language (Azerbaijani unless the lecture says otherwise).
    expect(info.chapters.map((c) => c.tags.title)).toEqual([
      'Mühazirənin başlanğıcı',
      'Slaydlar',
      'Söz: Gəncə',
      'Cavablandırılan sual: what is a civil servant?',
    ]);
    expect(progress.length).toBeGreaterThan(0);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(existsSync(path.join(record.dir, 'recording.partial.mp4'))).toBe(false);
    console.info(`composing 10 s took ${composeMs} ms; progress seen: ${progress.join(', ')}`);
  });

  it("writes the MP4's chapter titles in the lecture's language", async () => {
    const ru = (await store.createLecture({ title: 'Закон', scheduledStart: new Date().toISOString(), trainerName: 'T', sites: [], language: 'ru' })).id;
    const record = await storedRecording(store, dataDir, ru, {
      tracks: SHORT(3),
      durationMs: 3000,
      chapters: [{ atMs: 0, kind: 'start' }, { atMs: 1500, kind: 'floor', names: [] }],
    });
    const q = queue();
    await q.enqueue(record.id);
    await q.onIdle();
    const done = (await store.getRecording(record.id))!;
    expect(done.status, done.error ?? '').toBe('ready');
    const info = ffprobe(path.join(done.dir, done.output!));
    expect(info.chapters.map((c) => c.tags.title)).toEqual(['Начало лекции', 'Слово снова у преподавателя']);
  });

  it('composes an interrupted recording (a file cut by killing its writer, endMs null, no endedAt)', async () => {
    const record = await storedRecording(store, dataDir, lectureId, {
      tracks: [
        { file: 'trainer-camera-1.mkv', kind: 'video', source: 'camera', role: 'trainer', name: 'T', startMs: 0, endMs: null, seconds: 10, killAfterMs: 3000 },
        { file: 'trainer-microphone-1.mka', kind: 'audio', source: 'microphone', role: 'trainer', name: 'T', startMs: 500, endMs: null, seconds: 2 },
      ],
      chapters: [{ atMs: 0, kind: 'start' }],
      durationMs: null,
      status: 'interrupted',
    });
    const q = queue();
    await q.enqueue(record.id);
    await q.onIdle();
    const done = (await store.getRecording(record.id))!;
    expect(done.status, done.error ?? '').toBe('ready');
    const info = ffprobe(path.join(record.dir, done.output!));
    const seconds = Number(info.format.duration);
    // the cut camera file holds ~2–3 s (what reached the disk before the kill); the mic ends at 2.5 s
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(4);
    expect(done.endedAt! - done.startedAt).toBeCloseTo(seconds * 1000, -3);
  });

  it('a killed ffmpeg fails the job with its error, and the queue goes on', async () => {
    const doomed = await storedRecording(store, dataDir, lectureId, { tracks: SHORT(3), durationMs: 3000 });
    const next = await storedRecording(store, dataDir, lectureId, { tracks: SHORT(2), durationMs: 2000 });
    const q = queue();
    q.once('spawn', (_id, pid) => process.kill(pid, 'SIGKILL'));
    await q.enqueue(doomed.id);
    await q.enqueue(next.id);
    await q.onIdle();
    const failed = (await store.getRecording(doomed.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^FFMPEG_FAILED: ffmpeg was killed by SIGKILL/);
    expect(existsSync(path.join(doomed.dir, 'recording.partial.mp4'))).toBe(false);
    expect((await store.getRecording(next.id))!.status).toBe('ready');
  });

  it('runs at most `concurrency` jobs at once, first in first out', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await storedRecording(store, dataDir, lectureId, { tracks: SHORT(1), durationMs: 1000, chapters: [] })).id);
    for (const concurrency of [1, 2]) {
      for (const id of ids) await store.updateRecording(id, { status: 'stopped', progress: 0 });
      const q = queue(concurrency);
      const started: string[] = [];
      let running = 0;
      let most = 0;
      const processingCounts: Promise<number>[] = [];
      q.on('start', (id) => {
        started.push(id);
        most = Math.max(most, ++running);
        processingCounts.push(Promise.all(ids.map((x) => store.getRecording(x))).then((rs) => rs.filter((r) => r!.status === 'processing').length));
      });
      q.on('done', () => running--);
      for (const id of ids) await q.enqueue(id);
      expect(q.running.length).toBe(concurrency);
      expect(q.pending.length).toBe(3 - concurrency);
      await q.onIdle();
      expect(started).toEqual(ids);
      expect(most).toBe(concurrency);
      for (const processing of await Promise.all(processingCounts)) expect(processing).toBeLessThanOrEqual(concurrency);
      expect(await Promise.all(ids.map(async (id) => (await store.getRecording(id))!.status))).toEqual(['ready', 'ready', 'ready']);
    }
  });

  it('after a restart, a new queue on the same store redoes a job left processing', async () => {
    const cut = await storedRecording(store, dataDir, lectureId, { tracks: SHORT(2), durationMs: 2000 });
    const waiting = await storedRecording(store, dataDir, lectureId, { tracks: SHORT(1), durationMs: 1000 });
    const first = queue();
    first.once('spawn', () => void first.close()); // the server stops mid-job
    await first.enqueue(cut.id);
    await waitFor(() => first.running.length === 0, 10_000, 'the first queue to stop');
    expect((await store.getRecording(cut.id))!.status).toBe('processing');
    await store.close();

    store = await openStore(dataDir);
    const second = queue();
    expect(await second.resume()).toBe(2);
    await second.onIdle();
    expect(await store.getRecording(cut.id)).toMatchObject({ status: 'ready', progress: 100 });
    expect(await store.getRecording(waiting.id)).toMatchObject({ status: 'ready' });
    expect(await second.resume()).toBe(0);
  });
});
