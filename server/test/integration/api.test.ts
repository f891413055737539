import { lectureListSchema, lectureWithLinksSchema } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { httpsRequest, TEST_ADMIN_TOKEN, testConfig, testLogger } from '../helpers.js';

const validLecture = {
  title: 'Dövlət qulluğu haqqında qanun',
  scheduledStart: '2026-03-02T10:00:00+04:00',
  trainerName: 'Aygün Məmmədova',
  sites: ['Gəncə', 'Şəki'],
};

describe('admin API', () => {
  let server: RunningServer;
  const api = (method: string, path: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}) =>
    httpsRequest(method, `${server.url}/api${path}`, {
      ca: server.certificate,
      servername: 'localhost',
      body: options.body,
      headers: options.headers,
      ...(options.token !== null && { token: options.token ?? TEST_ADMIN_TOKEN }),
    });
  const create = async (body: object = validLecture) => {
    const res = await api('POST', '/lectures', { body });
    expect(res.status, res.body).toBe(201);
    return res.json as { lecture: { id: string } & Record<string, unknown>; links: { trainer: string; attendee: string; sites: { site: string; url: string }[]; expiresAt: string } };
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  beforeAll(async () => {
    server = await startServer(testConfig(), testLogger());
  });
  afterAll(async () => server?.close());

  it('exposes the admin token it was configured with', () => {
    expect(server.adminToken).toBe(TEST_ADMIN_TOKEN);
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', {}],
      ['a wrong token', { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` }],
      ['a shorter token', { authorization: 'Bearer test' }],
      ['another scheme', { authorization: `Basic ${TEST_ADMIN_TOKEN}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
    ])('%s: 401 UNAUTHORIZED', async (_what, headers) => {
      for (const [method, path] of [['GET', '/lectures'], ['POST', '/lectures'], ['DELETE', '/lectures/x'], ['GET', '/nope']] as const) {
        const res = await api(method, path, { token: null, headers, body: method === 'POST' ? validLecture : undefined });
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe('UNAUTHORIZED');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('the right token is accepted; the scheme is case-insensitive', async () => {
      const res = await api('GET', '/lectures', { token: null, headers: { authorization: `bearer ${TEST_ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('/healthz and the client stay public', async () => {
      const res = await httpsRequest('GET', `${server.url}/healthz`, { ca: server.certificate });
      expect(res.status).toBe(200);
    });
  });

  describe('validation', () => {
    it.each([
      ['no title', { ...validLecture, title: undefined }, /title/],
      ['an empty title', { ...validLecture, title: '   ' }, /title/],
      ['a title of 201 characters', { ...validLecture, title: 'x'.repeat(201) }, /title/],
      ['a date without a time zone', { ...validLecture, scheduledStart: '2026-03-02T10:00:00' }, /scheduledStart/],
      ['a date that is not a date', { ...validLecture, scheduledStart: 'next Monday' }, /scheduledStart/],
      ['no trainer name', { ...validLecture, trainerName: '' }, /trainerName/],
      ['a trainer name of 61 characters', { ...validLecture, trainerName: 'x'.repeat(61) }, /trainerName/],
      ['sites that are not a list', { ...validLecture, sites: 'Gəncə' }, /sites/],
      ['an empty site name', { ...validLecture, sites: ['Gəncə', ' '] }, /sites\.1/],
      ['a site name of 61 characters', { ...validLecture, sites: ['x'.repeat(61)] }, /sites\.0/],
      ['duplicate sites', { ...validLecture, sites: ['Gəncə', 'gəncə '] }, /unique/],
      ['51 sites', { ...validLecture, sites: Array.from({ length: 51 }, (_, i) => `S${i}`) }, /50/],
      ['locked not a boolean', { ...validLecture, locked: 'yes' }, /locked/],
      ['an unknown field', { ...validLecture, autorecord: true }, /autorecord/],
      ['a JSON array', [validLecture], /lecture/],
    ])('%s: 400 BAD_REQUEST naming the field', async (_what, body, field) => {
      const res = await api('POST', '/lectures', { body });
      expect(res.status, res.body).toBe(400);
      expect(res.json.error.code).toBe('BAD_REQUEST');
      expect(res.json.error.message).toMatch(field);
    });

    it.each([
      ['malformed JSON', '{"title": "x",', 'application/json'],
      ['JSON null', 'null', 'application/json'],
      ['a bare number', '42', 'application/json'],
      ['a form instead of JSON', 'title=x', 'application/x-www-form-urlencoded'],
      ['no body at all', '', 'application/json'],
      ['an unsupported charset', '{}', 'application/json; charset=klingon'],
    ])('%s: 400 BAD_REQUEST', async (_what, body, type) => {
      const res = await api('POST', '/lectures', { body, headers: { 'content-type': type } });
      expect(res.status, res.body).toBe(400);
      expect(res.json.error.code).toBe('BAD_REQUEST');
    });

    it('a body over 64 KB: 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await api('POST', '/lectures', { body: { ...validLecture, title: 'x'.repeat(70_000) } });
      expect(res.status).toBe(413);
      expect(res.json.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    });

    it('a malformed lecture id: 400; an unknown one: 404 NOT_FOUND; an unknown route: 404 NOT_FOUND', async () => {
      for (const path of ['/lectures/Not_A_Slug', '/lectures/-x/attendance', `/lectures/${'a'.repeat(65)}/attendance.csv`]) {
        const res = await api('GET', path);
        expect(res.status, path).toBe(400);
        expect(res.json.error.code).toBe('BAD_REQUEST');
      }
      for (const [method, path] of [['GET', '/lectures/no-such-lecture'], ['DELETE', '/lectures/no-such-lecture'],
        ['GET', '/lectures/no-such-lecture/attendance'], ['GET', '/lectures/no-such-lecture/attendance.csv'],
        ['GET', '/nope'], ['PUT', '/lectures'], ['GET', '']] as const) {
        const res = await api(method, path);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.json.error.code).toBe('NOT_FOUND');
      }
    });

    it('the server is still fine after all that', async () => {
      expect((await api('GET', '/lectures')).status).toBe(200);
    });
  });

  describe('lectures', () => {
    it('POST creates a lecture and answers join links whose tokens carry the right role, identity and site', async () => {
      const { lecture, links } = await create({ ...validLecture, locked: true });
      expect(lecture).toMatchObject({ ...validLecture, locked: true, autoRecord: false, state: 'waiting', startedAt: null, endedAt: null });
      expect(lecture.id).toMatch(/^dovlet-qullugu-haqqinda-qanun-[a-z0-9]{6}$/);
      const base = `https://127.0.0.1:${server.port}`;
      expect(links.trainer.startsWith(`${base}/studio/${lecture.id}?token=`)).toBe(true);
      expect(links.attendee.startsWith(`${base}/watch/${lecture.id}?token=`)).toBe(true);
      expect(links.sites.map((s) => s.site)).toEqual(['Gəncə', 'Şəki']);
      for (const s of links.sites) expect(s.url.startsWith(`${base}/site/${lecture.id}?token=`)).toBe(true);

      await expect(server.tokens.verify(tokenOf(links.trainer), lecture.id)).resolves.toEqual({
        lectureId: lecture.id, role: 'trainer', identity: 'trainer', name: 'Aygün Məmmədova',
      });
      await expect(server.tokens.verify(tokenOf(links.attendee), lecture.id)).resolves.toEqual({
        lectureId: lecture.id, role: 'attendee', identity: 'attendees',
      });
      await expect(server.tokens.verify(tokenOf(links.sites[1]!.url), lecture.id)).resolves.toEqual({
        lectureId: lecture.id, role: 'site', identity: 'site:Şəki', site: 'Şəki',
      });
      await expect(server.tokens.verify(tokenOf(links.trainer), 'another-lecture')).rejects.toMatchObject({ code: 'TOKEN_WRONG_LECTURE' });
      // a lecture long past: its links still work for a day
      expect(Date.parse(links.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
      expect(await server.store.getLecture(lecture.id)).toEqual(lecture);
    });

    it('links expire LINK_VALIDITY_HOURS after the scheduled start', async () => {
      const start = new Date(Date.now() + 10 * 24 * 3_600_000);
      start.setMilliseconds(0);
      const { links } = await create({ ...validLecture, scheduledStart: start.toISOString() });
      expect(Date.parse(links.expiresAt)).toBe(start.getTime() + 48 * 3_600_000);
    });

    it('trims names and accepts no sites at all', async () => {
      const { lecture, links } = await create({ ...validLecture, title: '  Əmək Məcəlləsi ', trainerName: ' Elvin ', sites: [], autoRecord: true });
      expect(lecture).toMatchObject({ title: 'Əmək Məcəlləsi', trainerName: 'Elvin', sites: [], autoRecord: true });
      expect(links.sites).toEqual([]);
    });

    it('a Host header that is not a host name is not put into links', async () => {
      const res = await api('POST', '/lectures', { body: validLecture, headers: { host: 'evil.example/<x>' } });
      expect(res.status).toBe(201);
      expect(res.json.links.trainer).toMatch(new RegExp(`^https://localhost:${server.port}/studio/`));
    });

    it('GET lists lectures newest scheduled first; GET one answers it with fresh links; DELETE removes it', async () => {
      const early = (await create({ ...validLecture, title: 'Early', scheduledStart: '2030-01-01T08:00:00Z' })).lecture;
      const late = (await create({ ...validLecture, title: 'Late', scheduledStart: '2030-01-02T08:00:00+04:00' })).lecture;
      const list = await api('GET', '/lectures');
      expect(list.status).toBe(200);
      expect(() => lectureListSchema.parse(list.json)).not.toThrow(); // the answers fit the shared schemas
      const ids = (list.json.lectures as { id: string }[]).map((l) => l.id);
      expect(ids.slice(0, 2)).toEqual([late.id, early.id]);

      const one = await api('GET', `/lectures/${early.id}`);
      expect(one.status).toBe(200);
      expect(() => lectureWithLinksSchema.parse(one.json)).not.toThrow();
      expect(one.json.lecture).toEqual(early);
      await expect(server.tokens.verify(tokenOf(one.json.links.trainer), early.id)).resolves.toMatchObject({ role: 'trainer' });
      expect(one.json.links.sites).toHaveLength(2);

      const del = await api('DELETE', `/lectures/${early.id}`);
      expect(del.status).toBe(204);
      expect(del.body).toBe('');
      expect((await api('GET', `/lectures/${early.id}`)).status).toBe(404);
      expect((await api('DELETE', `/lectures/${early.id}`)).status).toBe(404);
      expect(((await api('GET', '/lectures')).json.lectures as { id: string }[]).map((l) => l.id)).not.toContain(early.id);
    });
  });

  describe('attendance', () => {
    it('answers the records and the totals per person and per site, as JSON and as CSV', async () => {
      const { lecture } = await create({ ...validLecture, sites: ['Gəncə', 'Şəki', 'Lənkəran'] });
      const t0 = Date.parse('2026-03-02T06:00:00Z');
      const s = server.store;
      const kiosk = await s.recordJoin({ lectureId: lecture.id, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: t0 });
      await s.recordLeave(kiosk.id, t0 + 3600_000, 'left');
      const evil = await s.recordJoin({ lectureId: lecture.id, identity: 'attendee:1', role: 'attendee', name: '=HYPERLINK("http://x","y")', site: null, joinedAt: t0 + 60_000 });
      await s.recordLeave(evil.id, t0 + 120_000, 'removed');
      const back = await s.recordJoin({ lectureId: lecture.id, identity: 'attendee:1', role: 'attendee', name: '=HYPERLINK("http://x","y")', site: null, joinedAt: t0 + 600_000 });
      await s.recordLeave(back.id, t0 + 660_000, 'disconnected');
      const trainer = await s.recordJoin({ lectureId: lecture.id, identity: 'trainer', role: 'trainer', name: 'Aygün, "müəllim"', site: null, joinedAt: t0 - 600_000 });

      const json = await api('GET', `/lectures/${lecture.id}/attendance`);
      expect(json.status).toBe(200);
      expect(json.json.records.map((r: { id: string }) => r.id)).toEqual([trainer.id, kiosk.id, evil.id, back.id]);
      expect(json.json.perPerson).toEqual([
        expect.objectContaining({ identity: 'trainer', role: 'trainer', sessions: 1, lastLeftAt: null }),
        { identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', sessions: 1, totalSeconds: 3600, firstJoinedAt: t0, lastLeftAt: t0 + 3600_000 },
        { identity: 'attendee:1', role: 'attendee', name: '=HYPERLINK("http://x","y")', site: null, sessions: 2, totalSeconds: 120, firstJoinedAt: t0 + 60_000, lastLeftAt: t0 + 660_000 },
      ]);
      expect(json.json.perPerson[0].totalSeconds).toBeGreaterThan(600); // still open: counts up to now
      expect(json.json.perSite).toEqual([
        { site: 'Gəncə', people: 1, totalSeconds: 3600 },
        { site: 'Lənkəran', people: 0, totalSeconds: 0 },
        { site: 'Şəki', people: 0, totalSeconds: 0 },
      ]);

      const csv = await api('GET', `/lectures/${lecture.id}/attendance.csv?lang=en`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="attendance-${lecture.id}.csv"`);
      expect(csv.headers['vary']).toMatch(/Accept-Language/i);
      const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('Lecture,Role,Name,Classroom,Joined,Left,Seconds present,Why left');
      expect(lines[1]).toMatch(new RegExp(`^${lecture.id},Trainer,"Aygün, ""müəllim""",,2026-03-02T05:50:00.000Z,,\\d+,$`));
      expect(lines[2]).toBe(`${lecture.id},Classroom,Gəncə,Gəncə,2026-03-02T06:00:00.000Z,2026-03-02T07:00:00.000Z,3600,Left`);
      expect(lines[3]).toBe(`${lecture.id},Attendee,"'=HYPERLINK(""http://x"",""y"")",,2026-03-02T06:01:00.000Z,2026-03-02T06:02:00.000Z,60,Removed by the trainer`);
      expect(lines[4]).toBe(`${lecture.id},Attendee,"'=HYPERLINK(""http://x"",""y"")",,2026-03-02T06:10:00.000Z,2026-03-02T06:11:00.000Z,60,Connection lost`);
      expect(lines[5]).toBe('');
      expect(lines[6]).toBe('Name,Role,Classroom,Sessions,Total seconds');
      expect(lines[7]).toMatch(/^"Aygün, ""müəllim""",Trainer,,1,\d+$/);
      expect(lines[8]).toBe('Gəncə,Classroom,Gəncə,1,3600');
      expect(lines[9]).toBe(`"'=HYPERLINK(""http://x"",""y"")",Attendee,,2,120`);
      expect(lines.slice(10)).toEqual(['']);

      // The reader's language from the browser's Accept-Language; Azerbaijani when it asks for none of ours.
      const ru = await api('GET', `/lectures/${lecture.id}/attendance.csv`, { headers: { 'accept-language': 'de-DE,ru;q=0.8,en;q=0.5' } });
      expect(ru.body.replace(/^\uFEFF/, '').split('\r\n')[2]).toBe(
        `${lecture.id},Аудитория,Gəncə,Gəncə,2026-03-02T06:00:00.000Z,2026-03-02T07:00:00.000Z,3600,Вышел сам`,
      );
      const az = await api('GET', `/lectures/${lecture.id}/attendance.csv`, { headers: { 'accept-language': 'de-DE' } });
      expect(az.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Mühazirə,Rol,Ad,Auditoriya,Qoşulub,Çıxıb,İştirak (saniyə),Çıxma səbəbi');
    });

    it('an empty lecture: no records, zero rows for its sites, a CSV with just the headers', async () => {
      const { lecture } = await create();
      const json = await api('GET', `/lectures/${lecture.id}/attendance`);
      expect(json.json).toEqual({
        records: [],
        perPerson: [],
        perSite: [{ site: 'Gəncə', people: 0, totalSeconds: 0 }, { site: 'Şəki', people: 0, totalSeconds: 0 }],
      });
      const csv = await api('GET', `/lectures/${lecture.id}/attendance.csv?lang=en`);
      expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
        'Lecture,Role,Name,Classroom,Joined,Left,Seconds present,Why left', '', 'Name,Role,Classroom,Sessions,Total seconds', '',
      ]);
    });

    it('deleting the lecture deletes its attendance', async () => {
      const { lecture } = await create();
      await server.store.recordJoin({ lectureId: lecture.id, identity: 'trainer', role: 'trainer', name: 'T', site: null, joinedAt: 1 });
      expect((await api('DELETE', `/lectures/${lecture.id}`)).status).toBe(204);
      expect(await server.store.listAttendance(lecture.id)).toEqual([]);
    });
  });
});

describe('admin API with PUBLIC_URL', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testConfig({ PUBLIC_URL: 'https://teleclass.example.az/', LINK_VALIDITY_HOURS: '2' }), testLogger());
  });
  afterAll(async () => server?.close());

  it('builds links on PUBLIC_URL whatever the Host header says, valid LINK_VALIDITY_HOURS after the start', async () => {
    const start = new Date(Date.now() + 3 * 24 * 3_600_000);
    start.setMilliseconds(0);
    const res = await httpsRequest('POST', `${server.url}/api/lectures`, {
      ca: server.certificate,
      token: TEST_ADMIN_TOKEN,
      body: { ...validLecture, scheduledStart: start.toISOString() },
    });
    expect(res.status).toBe(201);
    expect(res.json.links.trainer).toMatch(/^https:\/\/teleclass\.example\.az\/studio\/dovlet-/);
    expect(res.json.links.sites[0].url).toMatch(/^https:\/\/teleclass\.example\.az\/site\/dovlet-/);
    expect(Date.parse(res.json.links.expiresAt)).toBe(start.getTime() + 2 * 3_600_000);
  });
});
