// The pre-flight network test's server side with a real worker: a probe transport a
// mediasoup-client device (FakeHandler) connects and produces on through the kiosk API, closed on
// finish and after PROBE_MAX_SECONDS whatever the client does; one probe per site and
// PROBE_MAX_CONCURRENT in all (also when asked at once); wrong tokens and bad input refused.
// The figures of real media are checked in Chromium (e2e/preflight.test.ts).
import { Device } from 'mediasoup-client';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { describe, expect, it } from 'vitest';
import { apiRequest, createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { httpsRequest, waitFor } from '../helpers.js';

const MAX_SECONDS = 3;
const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1', PROBE_MAX_SECONDS: String(MAX_SECONDS), PROBE_MAX_CONCURRENT: '2' });
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

async function createSite(name: string) {
  const res = await apiRequest(ctx.server, 'POST', '/api/sites', { name });
  expect(res.status, res.body).toBe(201);
  const { site, kioskUrl } = res.json as { site: { id: string }; kioskUrl: string };
  return { id: site.id, token: tokenOf(kioskUrl), base: `/api/kiosk/${site.id}/probe` };
}

const post = (path: string, token: string | null, body?: unknown) => apiRequest(ctx.server, 'POST', path, body, token);
/** Routers alive on the worker now (every probe has its own). */
const routers = async () => (await ctx.server.pool.workers[0]!.worker.dump()).routerIds.length;

describe('pre-flight network test against the SFU', () => {
  it('opens a transport a device connects and produces on, answers what arrived, and closes it', async () => {
    const site = await createSite('Probe Ganja');
    const before = await routers();
    const opened = await post(site.base, site.token);
    expect(opened.status, opened.body).toBe(201);
    const start = opened.json;
    expect(start.probeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(start.expiresInMs).toBe(MAX_SECONDS * 1000);
    expect(start.transport.iceCandidates.map((c: { protocol: string }) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(await routers()).toBe(before + 1);
    expect(ctx.server.probes.active).toBe(1);

    const device = new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    await device.load({ routerRtpCapabilities: start.routerRtpCapabilities });
    const transport = device.createSendTransport(start.transport);
    const path = `${site.base}/${start.probeId}`;
    let videoParameters: unknown;
    transport.on('connect', ({ dtlsParameters }, ok, fail) => {
      post(`${path}/connect`, site.token, { dtlsParameters }).then((r) => (r.status === 204 ? ok() : fail(new Error(r.body))), fail);
    });
    transport.on('produce', ({ kind, rtpParameters }, ok, fail) => {
      if (kind === 'video') videoParameters = rtpParameters;
      post(`${path}/produce`, site.token, { kind, rtpParameters }).then((r) => (r.status === 201 ? ok(r.json) : fail(new Error(r.body))), fail);
    });
    const video = await transport.produce({ track: new FakeMediaStreamTrack({ kind: 'video' }) as never });
    const audio = await transport.produce({ track: new FakeMediaStreamTrack({ kind: 'audio' }) as never });
    expect(video.id).not.toBe(audio.id);

    // Once connected, and one stream of each kind.
    const again = await post(`${path}/connect`, site.token, { dtlsParameters: start.transport.dtlsParameters });
    expect([again.status, again.json.error.code]).toEqual([409, 'INVALID_STATE']);
    const twice = await post(`${path}/produce`, site.token, { kind: 'video', rtpParameters: videoParameters });
    expect([twice.status, twice.json.error.code]).toEqual([409, 'INVALID_STATE']);

    const finished = await post(`${path}/finish`, site.token);
    expect(finished.status, finished.body).toBe(200);
    // FakeHandler sends no packets: nothing arrived, and loss cannot be told.
    expect(finished.json).toMatchObject({ bytesReceived: 0, packetsReceived: 0, packetsLost: 0, lossPct: null, bitrateKbps: 0 });
    expect(finished.json.seconds).toBeGreaterThan(0);
    expect(ctx.server.probes.active).toBe(0);
    expect(await routers()).toBe(before);
    expect((await post(`${path}/finish`, site.token)).status).toBe(404);
    transport.close();
  });

  it(`closes a probe after PROBE_MAX_SECONDS (${MAX_SECONDS} s) whatever the client does`, async () => {
    const site = await createSite('Probe Sheki');
    const before = await routers();
    const t0 = Date.now();
    const opened = await post(site.base, site.token);
    expect(opened.status).toBe(201);
    expect(await routers()).toBe(before + 1);
    await waitFor(() => ctx.server.probes.active === 0, 30_000, 'the probe to expire');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(MAX_SECONDS * 1000 - 50);
    expect(await routers()).toBe(before);
    const late = await post(`${site.base}/${opened.json.probeId}/finish`, site.token);
    expect([late.status, late.json.error.code]).toEqual([404, 'NOT_FOUND']);
    // The site may test again.
    const next = await post(site.base, site.token);
    expect(next.status).toBe(201);
    expect((await post(`${site.base}/${next.json.probeId}/finish`, site.token)).status).toBe(200);
  });

  it('allows one probe per site and PROBE_MAX_CONCURRENT (2) in all, also when asked at once', async () => {
    const [a, b, c] = await Promise.all([createSite('Probe A'), createSite('Probe B'), createSite('Probe C')]);
    const answers = await Promise.all([a, b, c].map((s) => post(s!.base, s!.token)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 503]);
    expect(answers.find((r) => r.status === 503)!.json.error.code).toBe('LIMIT');
    expect(ctx.server.probes.active).toBe(2);
    const [openSite] = [a, b, c].filter((_, i) => answers[i]!.status === 201);
    const dup = await post(openSite!.base, openSite!.token);
    expect([dup.status, dup.json.error.code]).toEqual([409, 'INVALID_STATE']);
    // A finished probe frees its place at once.
    const firstOpen = answers.findIndex((r) => r.status === 201);
    const sites = [a, b, c];
    expect((await post(`${sites[firstOpen]!.base}/${answers[firstOpen]!.json.probeId}/finish`, sites[firstOpen]!.token)).status).toBe(200);
    const refused = sites[answers.findIndex((r) => r.status === 503)]!;
    const now = await post(refused.base, refused.token);
    expect(now.status).toBe(201);
    for (const [s, r] of [[refused, now]] as const) await post(`${s.base}/${r.json.probeId}/finish`, s.token);
    const secondOpen = answers.findIndex((r, i) => r.status === 201 && i !== firstOpen);
    await post(`${sites[secondOpen]!.base}/${answers[secondOpen]!.json.probeId}/finish`, sites[secondOpen]!.token);
    expect(ctx.server.probes.active).toBe(0);
  });

  it('refuses wrong tokens, another site\'s probe and bad input with codes', async () => {
    const site = await createSite('Probe Guba');
    const other = await createSite('Probe Gabala');
    expect((await post(site.base, null)).status).toBe(401);
    expect((await post(site.base, other.token)).json.error.code).toBe('UNAUTHORIZED');
    const opened = await post(site.base, site.token);
    expect(opened.status).toBe(201);
    const path = `${site.base}/${opened.json.probeId}`;
    // Another site cannot touch it, even knowing its id.
    const foreign = await post(`${other.base}/${opened.json.probeId}/finish`, other.token);
    expect([foreign.status, foreign.json.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await post(`${site.base}/not-a-probe/finish`, site.token)).status).toBe(400);
    expect((await post(`${path}/connect`, site.token, { dtlsParameters: { fingerprints: [] } })).status).toBe(400);
    expect((await post(`${path}/produce`, site.token, { kind: 'smell', rtpParameters: {} })).status).toBe(400);
    const early = await post(`${path}/produce`, site.token, { kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000 }] } });
    expect([early.status, early.json.error.code]).toEqual([409, 'INVALID_STATE']);
    const junk = await httpsRequest('POST', `${ctx.server.url}${path}/connect`, { ca: ctx.server.certificate, token: site.token, body: '{not json' });
    expect(junk.status).toBe(400);
    // A rotated kiosk link is refused at once; its probe still closes by itself.
    expect((await apiRequest(ctx.server, 'POST', `/api/sites/${site.id}/kiosk-link/rotate`)).status).toBe(200);
    expect((await post(`${path}/finish`, site.token)).json.error.code).toBe('LINK_REVOKED');
    await waitFor(() => ctx.server.probes.active === 0, 30_000, 'the probe to expire');
  });

  it("runs in the studio with the trainer's link token only", async () => {
    const lecture = await createTestLecture(ctx.server, { sites: ['Ganja'] });
    const otherLecture = await createTestLecture(ctx.server, { sites: ['Sheki'] });
    const base = `/api/studio/${lecture.lecture.id}/probe`;
    expect((await post(base, lecture.attendee)).json.error.code).toBe('FORBIDDEN');
    expect((await post(base, lecture.site('Ganja'))).status).toBe(403);
    expect((await post(base, otherLecture.trainer)).status).toBe(401);
    expect((await post(base, ctx.server.adminToken)).status).toBe(401);
    const opened = await post(base, lecture.trainer);
    expect(opened.status, opened.body).toBe(201);
    expect((await post(base, lecture.trainer)).json.error.code).toBe('INVALID_STATE');
    expect((await post(`${base}/${opened.json.probeId}/finish`, lecture.trainer)).status).toBe(200);
    expect(ctx.server.probes.active).toBe(0);
  });
});
