// The sites registry and kiosk links: CRUD, import of the 18 centres, a kiosk that polls and is
// handed a join for whichever live lecture includes its site, and a rotated kiosk link that stops
// working at once — its poll, its minted joins, and whoever is connected with one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { apiRequest } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { httpsRequest, waitFor } from '../helpers.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1', METRICS_TOKEN });
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

function poll(siteId: string, token: string, body: unknown = { version: 'test-1' }) {
  return httpsRequest('POST', `${ctx.server.url}/api/kiosk/${siteId}`, { ca: ctx.server.certificate, token, body });
}

async function createSite(name: string, region?: string) {
  const res = await apiRequest(ctx.server, 'POST', '/api/sites', { name, ...(region && { region }) });
  expect(res.status, res.body).toBe(201);
  return res.json as { site: { id: string; name: string; region: string | null }; kioskUrl: string };
}

describe('sites registry', () => {
  it('creates, lists, renames, refuses duplicates, deletes', async () => {
    const { site, kioskUrl } = await createSite('Ganja 1', 'Ganja-Dashkasan');
    expect(site).toMatchObject({ name: 'Ganja 1', region: 'Ganja-Dashkasan' });
    expect(site.id).toMatch(/^ganja-1-[a-z0-9]{6}$/);
    expect(kioskUrl).toMatch(new RegExp(`/kiosk/${site.id}\\?token=`));
    expect((await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'GANJA 1' })).status).toBe(409);
    expect((await apiRequest(ctx.server, 'POST', '/api/sites', { name: '' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'X' }, null)).status).toBe(401);

    const list = await apiRequest(ctx.server, 'GET', '/api/sites');
    const listed = list.json.sites.find((s: { id: string }) => s.id === site.id);
    expect(listed.status).toMatchObject({ online: false, lectureId: null, lastSeenAt: null, soundBlocked: false, quality: null });

    const renamed = await apiRequest(ctx.server, 'PATCH', `/api/sites/${site.id}`, { name: 'Ganja Centre 1', region: null });
    expect(renamed.json.site).toEqual({ id: site.id, name: 'Ganja Centre 1', region: null, language: null });
    // The kiosk's language is set per site; the kiosk is told it on its next poll.
    const russian = await apiRequest(ctx.server, 'PATCH', `/api/sites/${site.id}`, { language: 'ru' });
    expect(russian.json.site).toMatchObject({ name: 'Ganja Centre 1', language: 'ru' });
    const told = await poll(site.id, tokenOf(kioskUrl));
    expect(told.json.site.language).toBe('ru');
    expect((await apiRequest(ctx.server, 'PATCH', `/api/sites/${site.id}`, { language: 'de' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'PATCH', `/api/sites/${site.id}`, { language: null })).json.site.language).toBeNull();
    expect((await apiRequest(ctx.server, 'DELETE', `/api/sites/${site.id}`)).status).toBe(204);
    expect((await apiRequest(ctx.server, 'GET', `/api/sites/${site.id}`)).status).toBe(404);
    expect((await poll(site.id, tokenOf(kioskUrl))).status).toBe(404);
  });

  it('imports the 18 centres from the example file in one call, and skips them the second time', async () => {
    const file = JSON.parse(readFileSync(path.join(REPO_ROOT, 'ops', 'sites.example.json'), 'utf8')) as { sites: unknown[] };
    expect(file.sites).toHaveLength(18);
    const first = await apiRequest(ctx.server, 'POST', '/api/sites/import', file);
    expect(first.status).toBe(201);
    expect(first.json.created).toHaveLength(18);
    const again = await apiRequest(ctx.server, 'POST', '/api/sites/import', file);
    expect(again.json.created).toHaveLength(0);
    expect(again.json.skipped).toHaveLength(18);
  });
});

describe('a kiosk link', () => {
  it('polls while idle, is handed a join for the live lecture that includes its site, and a rotation revokes it at once', async () => {
    const { site, kioskUrl } = await createSite('Room 7');
    const kiosk = tokenOf(kioskUrl);

    // Idle, before any lecture exists: online, nothing coming.
    const idle = await poll(site.id, kiosk);
    expect(idle.status, idle.body).toBe(200);
    expect(idle.json).toMatchObject({ site: { id: site.id, name: 'Room 7' }, upcoming: [], live: null, pollMs: 1000 });
    const seen = (await apiRequest(ctx.server, 'GET', `/api/sites/${site.id}`)).json.status;
    expect(seen).toMatchObject({ online: true, lectureId: null, version: 'test-1' });
    expect((await poll(site.id, 'junk')).status).toBe(401);
    expect((await poll(site.id, kiosk, { version: 'x', extra: 1 })).status).toBe(400);

    // A lecture with the site (and a one-off room), not yet live: listed as coming.
    const created = await apiRequest(ctx.server, 'POST', '/api/lectures', {
      title: 'Tax law', scheduledStart: new Date(Date.now() + 3_600_000).toISOString(), trainerName: 'Dr. Aliyev',
      sites: ['Library'], siteIds: [site.id],
    });
    expect(created.status, created.body).toBe(201);
    expect(created.json.lecture).toMatchObject({ sites: ['Library', 'Room 7'], siteIds: [site.id] });
    expect((await apiRequest(ctx.server, 'POST', '/api/lectures', {
      title: 'x', scheduledStart: new Date().toISOString(), trainerName: 'y', siteIds: ['no-such-site'],
    })).status).toBe(400);
    const lectureId = created.json.lecture.id as string;
    const waiting = await poll(site.id, kiosk);
    expect(waiting.json.upcoming).toEqual([expect.objectContaining({ lectureId, title: 'Tax law', state: 'waiting' })]);
    expect(waiting.json.live).toBeNull();

    // Live: the poll hands out a site join; the kiosk joins with it as the site.
    const trainer = ctx.peer(tokenOf(created.json.links.trainer));
    await trainer.join();
    await trainer.request('startLecture', {});
    const live = await poll(site.id, kiosk);
    expect(live.json.live.lectureId).toBe(lectureId);
    const classroom = ctx.peer(live.json.live.token);
    const joined = await classroom.join();
    expect(joined.self).toMatchObject({ role: 'site', site: 'Room 7' });
    const status = (await apiRequest(ctx.server, 'GET', '/api/sites')).json.sites.find((s: { id: string }) => s.id === site.id).status;
    expect(status).toMatchObject({ online: true, lectureId });

    // Rotation: the old kiosk link and the join minted from it stop working at once.
    const rotated = await apiRequest(ctx.server, 'POST', `/api/sites/${site.id}/kiosk-link/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.kioskUrl).not.toBe(kioskUrl);
    await waitFor(() => !classroom.socket.connected, 3000, 'the kiosk connection to be let go');
    expect(classroom.notifications.some((n) => n.name === 'linkRevoked')).toBe(true);
    expect((await poll(site.id, kiosk)).status).toBe(401);
    expect((await poll(site.id, kiosk)).json.error.code).toBe('LINK_REVOKED');
    expect(await ctx.peer(live.json.live.token).handshakeRefusal()).toBe('LINK_REVOKED');
    // The new link works and mints a join that works.
    const fresh = await poll(site.id, tokenOf(rotated.json.kioskUrl));
    expect(fresh.json.live.lectureId).toBe(lectureId);
    await ctx.peer(fresh.json.live.token).join();
    // The trainer's link was never touched.
    expect(trainer.socket.connected).toBe(true);

    // /metrics: with the admin token or METRICS_TOKEN only; every series prefixed teleclass_.
    const metrics = (token: string | null) => httpsRequest('GET', `${ctx.server.url}/metrics`, { ca: ctx.server.certificate, ...(token && { token }) });
    expect((await metrics(null)).status).toBe(401);
    expect((await metrics('wrong-token-0123456789')).status).toBe(401);
    expect((await metrics(ctx.server.adminToken)).status).toBe(200);
    const text = (await metrics(METRICS_TOKEN)).body;
    const series = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(series.every((l) => l.startsWith('teleclass_'))).toBe(true);
    expect(text).toMatch(/^teleclass_lectures\{state="live"\} 1$/m);
    expect(text).toMatch(/^teleclass_participants\{role="site"\} 1$/m);
    expect(text).toMatch(/^teleclass_site_online\{site="Room 7"\} 1$/m);
    expect(text).toMatch(/^teleclass_workers_alive 1$/m);
    expect(text).toMatch(/^teleclass_media_objects\{kind="transports"\} \d+$/m);
    expect(text).toMatch(/^teleclass_media_bytes\{direction="in"\} \d+$/m);
    expect(text).toMatch(/^teleclass_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^teleclass_signaling_request_duration_seconds_count\{method="join",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^teleclass_http_request_duration_seconds_count\{method="POST",route="\/api\/kiosk\/:siteId",status="200"\} \d+$/m);
    expect(text).toMatch(/^teleclass_recording_jobs\{status="ready"\} 0$/m);
  });

  it('is rate-limited per site', async () => {
    const { site, kioskUrl } = await createSite('Room 8');
    const answers = await Promise.all(Array.from({ length: 20 }, () => poll(site.id, tokenOf(kioskUrl))));
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(10);
  });
});
