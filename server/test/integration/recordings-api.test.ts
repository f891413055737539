// The recording library over HTTPS: a real server, a recording composed by its own queue with the
// real ffmpeg, then list / get / video (Range) / chapters.vtt / delete with every kind of token.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { recordingDetailSchema, recordingListSchema } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { RecordingRecord } from '../../src/store/Store.js';
import { httpsRequest, testConfig, testLogger, waitFor } from '../helpers.js';
import { createTestLecture } from '../lectures.js';
import { storedRecording } from '../recordingFixtures.js';

describe('recording library API', () => {
  let server: RunningServer;
  let config: Config;
  let ready: RecordingRecord;
  let pending: RecordingRecord;
  let lectureId: string;
  let viewToken: string;
  let otherViewToken: string;

  const get = (p: string, options: { token?: string | null; headers?: Record<string, string>; method?: string } = {}) =>
    httpsRequest(options.method ?? 'GET', `${server.url}${p}`, {
      ca: server.certificate,
      ...(options.headers && { headers: options.headers }),
      ...(options.token !== null && { token: options.token ?? server.adminToken }),
    });

  beforeAll(async () => {
    config = testConfig();
    server = await startServer(config, testLogger());
    const lecture = await createTestLecture(server, { title: 'Dövlət qulluğu' });
    lectureId = lecture.lecture.id;
    ready = await storedRecording(server.store, config.DATA_DIR, lectureId);
    await server.recordings.enqueue(ready.id);
    pending = await storedRecording(server.store, config.DATA_DIR, lectureId, { tracks: [], status: 'recording', durationMs: null });
    await waitFor(async () => (await server.store.getRecording(ready.id))?.status === 'ready', 200_000, 'the recording to be composed');
    const detail = await get(`/api/recordings/${ready.id}`);
    viewToken = new URL(detail.json.viewUrl).searchParams.get('token')!;
    const other = await get(`/api/recordings/${pending.id}`);
    otherViewToken = new URL(other.json.viewUrl).searchParams.get('token')!;
  }, 240_000); // composing shares the two cores with the rest of the suite
  afterAll(async () => server?.close());

  it('lists a lecture’s recordings for the admin only', async () => {
    const res = await get(`/api/lectures/${lectureId}/recordings`);
    expect(res.status, res.body).toBe(200);
    const { recordings } = recordingListSchema.parse(res.json);
    expect(recordings.map((r) => r.id)).toEqual([pending.id, ready.id]); // newest first
    const done = recordings.find((r) => r.id === ready.id)!;
    // The check after composing found nothing: camera and slides show a picture throughout.
    expect(done).toMatchObject({ status: 'ready', progress: 100, durationMs: 10_000, warnings: [] });
    expect(res.json.recordings.find((r: { id: string }) => r.id === ready.id).warnings).toEqual([]); // sent, not defaulted
    const raw = ready.tracks.reduce((s, t) => s + t.bytes, 0);
    expect(done.bytes).toBe(raw + (await server.store.getRecording(ready.id))!.outputBytes);
    expect((await get(`/api/lectures/${lectureId}/recordings`, { token: null })).status).toBe(401);
    expect((await get(`/api/lectures/${lectureId}/recordings?token=${viewToken}`, { token: null })).status).toBe(401);
    expect((await get('/api/lectures/no-such-lecture/recordings')).json.error.code).toBe('NOT_FOUND');
  });

  it('answers the record with a fresh viewing link for the admin, without it for a viewer', async () => {
    const admin = await get(`/api/recordings/${ready.id}`);
    expect(admin.status).toBe(200);
    const body = recordingDetailSchema.parse(admin.json);
    expect(body.viewUrl).toMatch(new RegExp(`/recordings/${ready.id}\\?token=`));
    expect(body.recording).toMatchObject({ status: 'ready', lectureTitle: 'Dövlət qulluğu', videoUrl: `/api/recordings/${ready.id}/video` });
    expect(JSON.stringify(admin.json)).not.toContain(config.DATA_DIR); // no server paths
    const viewer = await get(`/api/recordings/${ready.id}?token=${encodeURIComponent(viewToken)}`, { token: null });
    expect(viewer.status).toBe(200);
    expect(viewer.json.viewUrl).toBeUndefined();
    expect(viewer.json.recording.id).toBe(ready.id);
  });

  it('serves the MP4 with Range requests, and as a download named after the lecture', async () => {
    const full = await get(`/api/recordings/${ready.id}/video?token=${encodeURIComponent(viewToken)}`, { token: null });
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('video/mp4');
    expect(full.headers['accept-ranges']).toBe('bytes');
    const size = (await server.store.getRecording(ready.id))!.outputBytes;
    expect(Number(full.headers['content-length'])).toBe(size);
    const part = await get(`/api/recordings/${ready.id}/video`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${size}`);
    expect(part.headers['content-length']).toBe('100');
    const download = await get(`/api/recordings/${ready.id}/video?download=1`, { method: 'HEAD' });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="D.vl.t qullu.u \d{4}-\d\d-\d\d\.mp4"; filename\*=UTF-8''D%C3%B6vl%C9%99t%20qullu%C4%9Fu%20\d{4}-\d\d-\d\d\.mp4$/);
  });

  it('serves the chapters as WebVTT', async () => {
    const res = await get(`/api/recordings/${ready.id}/chapters.vtt?token=${encodeURIComponent(viewToken)}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(res.headers['vary']).toMatch(/Accept-Language/i);
    // Without ?lang= or Accept-Language: the lecture's language (Azerbaijani by default).
    expect(res.body.startsWith('WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\nMühazirənin başlanğıcı\n')).toBe(true);
    expect(res.body.match(/-->/g)).toHaveLength(4);
    const ru = await get(`/api/recordings/${ready.id}/chapters.vtt?token=${encodeURIComponent(viewToken)}&lang=ru`, { token: null });
    expect(ru.body).toContain('\nНачало лекции\n');
    expect(ru.body).toContain('\nСлово: Gəncə\n');
    const en = await get(`/api/recordings/${ready.id}/chapters.vtt?token=${encodeURIComponent(viewToken)}`, {
      token: null,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.body).toContain('\nAnswered: what is a civil servant?\n');
  });

  it('answers NOT_READY before the video is composed', async () => {
    const video = await get(`/api/recordings/${pending.id}/video`);
    expect(video.status).toBe(409);
    expect(video.json.error.code).toBe('NOT_READY');
    expect((await get(`/api/recordings/${pending.id}/chapters.vtt`)).json.error.code).toBe('NOT_READY');
    const del = await get(`/api/recordings/${pending.id}`, { method: 'DELETE' });
    expect(del.status).toBe(409);
    expect(del.json.error.code).toBe('RECORDING_ACTIVE');
  });

  it('refuses no token, bad tokens and another recording’s link; bad ids are 400, unknown ones 404', async () => {
    const q = (t: string) => `?token=${encodeURIComponent(t)}`;
    const cases: [string, string | null | undefined, number, string][] = [
      [`/api/recordings/${ready.id}`, null, 401, 'UNAUTHORIZED'],
      [`/api/recordings/${ready.id}/video`, null, 401, 'UNAUTHORIZED'],
      [`/api/recordings/${ready.id}/video${q('junk')}`, null, 401, 'UNAUTHORIZED'],
      [`/api/recordings/${ready.id}/video${q(otherViewToken)}`, null, 403, 'FORBIDDEN'],
      [`/api/recordings/${ready.id}/chapters.vtt${q(otherViewToken)}`, null, 403, 'FORBIDDEN'],
      [`/api/recordings/${ready.id}`, 'wrong-admin-token-0123456789', 401, 'UNAUTHORIZED'],
      [`/api/recordings/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
      [`/api/recordings/not-a-uuid`, undefined, 400, 'BAD_REQUEST'],
      [`/api/recordings/..%2F..%2Fteleclass.sqlite/video`, undefined, 400, 'BAD_REQUEST'],
      [`/api/recordings/${randomUUID()}/video${q(viewToken)}`, null, 403, 'FORBIDDEN'],
    ];
    for (const [url, token, status, code] of cases) {
      const res = await get(url, { token });
      expect([url, res.status, res.json?.error?.code]).toEqual([url, status, code]);
    }
    // a join link is not a viewing link
    const lecture = await createTestLecture(server);
    expect((await get(`/api/recordings/${ready.id}${q(lecture.trainer)}`, { token: null })).status).toBe(401);
  });

  it('deletes a recording (admin only) with its folder', async () => {
    const doomed = await storedRecording(server.store, config.DATA_DIR, lectureId, { tracks: [], durationMs: 1000, status: 'failed' });
    const token = new URL((await get(`/api/recordings/${doomed.id}`)).json.viewUrl).searchParams.get('token')!;
    expect((await get(`/api/recordings/${doomed.id}?token=${token}`, { method: 'DELETE', token: null })).status).toBe(401);
    expect(existsSync(doomed.dir)).toBe(true);
    const res = await get(`/api/recordings/${doomed.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(existsSync(doomed.dir)).toBe(false);
    expect(existsSync(path.join(config.DATA_DIR, 'recordings'))).toBe(true);
    expect((await get(`/api/recordings/${doomed.id}`)).status).toBe(404);
    expect((await get(`/api/recordings/${doomed.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('deleting a lecture deletes its recordings and their folders', async () => {
    const other = await createTestLecture(server);
    const doomed = await storedRecording(server.store, config.DATA_DIR, other.lecture.id, { tracks: [], durationMs: 1000, status: 'failed' });
    expect(existsSync(doomed.dir)).toBe(true);
    expect((await get(`/api/lectures/${other.lecture.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(doomed.dir)).toBe(false);
    expect(await server.store.getRecording(doomed.id)).toBeUndefined();
    expect((await server.store.getRecording(ready.id))?.status).toBe('ready'); // another lecture's stays
  });

  it('never serves or deletes files outside DATA_DIR/recordings', async () => {
    const outside = await server.store.createRecording({ lectureId, dir: path.join(config.DATA_DIR, '..') });
    await server.store.updateRecording(outside.id, { status: 'ready', output: 'recording.mp4', endedAt: outside.startedAt + 1000 });
    expect((await get(`/api/recordings/${outside.id}/video`)).json.error.code).toBe('NOT_FOUND');
    await server.store.updateRecording(outside.id, { output: '../teleclass.sqlite' });
    expect((await get(`/api/recordings/${outside.id}/video`)).status).toBe(404);
    expect((await get(`/api/recordings/${outside.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(config.DATA_DIR)).toBe(true);
  });
});
