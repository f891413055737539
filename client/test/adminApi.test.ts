// The admin API client over a recording fetch: the bearer header, the paths, bodies and the
// `{ error: { code, message } }` answers turned into AdminApiError.
import { describe, expect, it } from 'vitest';
import { AdminApi, AdminApiError, type FetchLike } from '../src/admin/adminApi.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function recorder(answer: (call: Call) => Response): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call: Call = {
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    calls.push(call);
    return answer(call);
  };
  return { fetch, calls };
}

const LECTURE = {
  id: 'budget-law',
  title: 'Budget law',
  scheduledStart: '2026-03-02T06:00:00.000Z',
  trainerName: 'Dr. Aliyev',
  sites: ['Ganja'],
  siteIds: [],
  locked: true,
  autoRecord: false,
  seriesId: null,
  recurrence: null,
  language: 'az',
  state: 'waiting',
  startedAt: null,
  endedAt: null,
  createdAt: 1,
};
const LINKS = { trainer: 't', sites: [{ site: 'Ganja', url: 's' }], attendee: 'a', expiresAt: '2026-03-03T06:00:00.000Z' };
const SUMMARY = {
  id: '0b6f3c1e-8d2a-4f5b-9c7d-1e2f3a4b5c6d',
  lectureId: 'budget-law',
  status: 'processing',
  progress: 40,
  startedAt: 1,
  endedAt: 2,
  durationMs: null,
  bytes: 10,
  outputBytes: 0,
  error: null,
  warnings: [],
};
const DETAIL = { ...SUMMARY, lectureTitle: 'Budget law', tracks: [], chapters: [], videoUrl: '/v', chaptersUrl: '/c' };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('AdminApi', () => {
  it('creates a lecture with the bearer token and a JSON body', async () => {
    const created = { lecture: LECTURE, links: LINKS };
    const { fetch, calls } = recorder(() => json(201, created));
    const api = new AdminApi('secret', { fetch });
    const body = { title: 'Budget law', scheduledStart: '2026-03-02T06:00:00.000Z', trainerName: 'Dr. Aliyev', sites: ['Ganja'], locked: true };
    await expect(api.createLecture(body)).resolves.toEqual(created);
    expect(calls[0]).toMatchObject({ url: '/api/lectures', method: 'POST', headers: { authorization: 'Bearer secret', 'content-type': 'application/json' } });
    expect(JSON.parse(calls[0]!.body!)).toEqual(body);
  });

  it('lists, reads and deletes lectures by their (encoded) id', async () => {
    const { fetch, calls } = recorder((call) =>
      call.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, call.url === '/api/lectures' ? { lectures: [{ ...LECTURE, id: 'x' }] } : { lecture: { ...LECTURE, id: 'x' }, links: LINKS }),
    );
    const api = new AdminApi('t', { fetch });
    await expect(api.listLectures()).resolves.toEqual([{ ...LECTURE, id: 'x' }]);
    await api.getLecture('x');
    await api.deleteLecture('x');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/lectures', 'GET /api/lectures/x', 'DELETE /api/lectures/x']);
    expect(calls.every((c) => c.headers['authorization'] === 'Bearer t' && c.body === undefined)).toBe(true);
  });

  it('lists, reads and deletes recordings with the auth header', async () => {
    const summary = SUMMARY;
    const { fetch, calls } = recorder((call) =>
      call.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json(200, call.url.endsWith('/recordings') ? { recordings: [summary] } : { recording: DETAIL, viewUrl: 'https://h/recordings/x?token=v' }),
    );
    const api = new AdminApi('t', { fetch });
    await expect(api.listRecordings('budget-law')).resolves.toEqual([summary]);
    await expect(api.getRecording(summary.id)).resolves.toMatchObject({ viewUrl: 'https://h/recordings/x?token=v' });
    await api.deleteRecording(summary.id);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/lectures/budget-law/recordings',
      `GET /api/recordings/${summary.id}`,
      `DELETE /api/recordings/${summary.id}`,
    ]);
    expect(calls.every((c) => c.headers['authorization'] === 'Bearer t')).toBe(true);
  });

  it('refuses to delete a recording still being written (409 RECORDING_ACTIVE)', async () => {
    const { fetch } = recorder(() => json(409, { error: { code: 'RECORDING_ACTIVE', message: 'The recording is still being written; stop it first.' } }));
    const error = await new AdminApi('t', { fetch }).deleteRecording('r').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'RECORDING_ACTIVE' });
  });

  it('downloads the attendance CSV with the auth header', async () => {
    const { fetch, calls } = recorder(() => new Response('name,seconds\nLeyla,60\n', { status: 200, headers: { 'content-type': 'text/csv' } }));
    const blob = await new AdminApi('t', { fetch }).attendanceCsv('budget-law', 'ru');
    expect(await blob.text()).toContain('Leyla,60');
    expect(calls[0]).toMatchObject({ url: '/api/lectures/budget-law/attendance.csv?lang=ru', headers: { authorization: 'Bearer t' } });
  });

  it("turns the server's error body into an AdminApiError", async () => {
    const { fetch } = recorder(() => json(400, { error: { code: 'BAD_REQUEST', message: 'Invalid lecture: title: a title is needed' } }));
    const error = await new AdminApi('t', { fetch }).createLecture({ title: '', scheduledStart: '', trainerName: '', sites: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: 'Invalid lecture: title: a title is needed' });
  });

  it('has a sentence for a status without a JSON body, and for an unreachable server', async () => {
    const unauthorized = await new AdminApi('t', { fetch: recorder(() => new Response('nope', { status: 401 })).fetch }).listLectures().catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ status: 401, message: 'The admin token is wrong or missing.' });
    const offline = await new AdminApi('t', { fetch: () => Promise.reject(new TypeError('fetch failed')) }).listLectures().catch((e: unknown) => e);
    expect(offline).toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('parses every answer with the shared schema: defaults filled in, an answer that does not fit refused', async () => {
    // An older server leaves out the fields added since: the schema's defaults stand in.
    const { siteIds: _ids, seriesId: _series, recurrence: _rule, language: _language, ...older } = LECTURE;
    const { fetch } = recorder(() => json(200, { lectures: [older] }));
    await expect(new AdminApi('t', { fetch }).listLectures()).resolves.toEqual([
      { ...LECTURE, siteIds: [], seriesId: null, recurrence: null, language: 'az' },
    ]);
    const sites = recorder(() => json(200, { sites: [] }));
    await expect(new AdminApi('t', { fetch: sites.fetch }).network()).resolves.toEqual({ sites: [], studios: [] });

    const wrong = recorder(() => json(200, { lectures: [{ ...LECTURE, state: 'paused' }] }));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const error = await new AdminApi('t', { fetch: wrong.fetch }).listLectures().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdminApiError);
      expect(error).toMatchObject({ code: 'INTERNAL', message: 'The answer to GET /api/lectures does not fit the protocol.' });
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
    // Production builds take the answer as it is (the server's answers are typed by the same schemas).
    await expect(new AdminApi('t', { fetch: wrong.fetch, validate: false }).listLectures()).resolves.toHaveLength(1);
  });
});
