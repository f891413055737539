// A classroom kiosk in real Chromium on a three-node cluster (real Redis, real node processes):
// its node is SIGKILLed and the page is back — socket connected and joined on another node of its
// region — within 5 s, without a click. Prints `FAILOVER node-kill <ms> ms`. Media across nodes
// (the kiosk playing the trainer's video from another node) comes with the cluster's media plane:
// when the new node knows the lecture's trainer, the kiosk must also play frames. Then the new
// node drains (SIGTERM): the page follows the push to the trainer's node and plays the lecture.
// The nodes share one PostgreSQL database (started here, as Redis is): the test reads the lecture
// and the sessions each node wrote from it. The dead ganja-1 is never started again: a surviving
// node closes its classroom's session at ganja-1's last alive mark (DEAD_NODE_SECONDS after it
// died, here 5 s), so the classroom's attendance is that closed session and the new one written
// by ganja-2, the gap between them starting at ganja-1's last proof of life.
// `FAILOVER media` is what the kiosk lives through: from the SIGKILL (and from its rejoin) to the
// first frame of the lecture decoded from the new node's streams.
// An idle classroom kiosk (its kiosk link, no lecture of its own: only HTTP calls) is open on the
// same node: its polls and its pre-flight report go to ganja-2, the other live node of its region
// (client/src/signaling/httpFailover.ts), then to baku-1 once ganja-2 drained; when ganja-1 is
// started again they come home to it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectVideoPlays, launchChromium, newPage, screenshot } from './browser.js';
import { createTestLectureOn } from '../server/test/fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, lectureInDatabase, type ClusterNode } from '../server/test/fixtures/clusterNode.js';
import { queryDatabase } from '../server/test/fixtures/postgres.js';
import { useCluster } from '../server/test/fixtures/useCluster.js';
import { waitFor } from '../server/test/helpers.js';
import type { TestLecture } from '../server/test/lectures.js';
import { REPO_ROOT } from '../server/src/config.js';
import { HOME_RETRY_MS } from '../client/src/signaling/httpFailover.js';

/** Whether this tree has the cluster's media plane (the cascade between nodes). */
const MEDIA_PLANE = existsSync(path.join(REPO_ROOT, 'server/src/cluster/cascade/index.ts'));

/** A node gone from the registry with an alive mark this old is dead (default 15 s). */
const FAST_DEATH = { DEAD_NODE_SECONDS: '5' };
// Every node's REDIS_URL and DATABASE_URL: a Redis and a PostgreSQL started for this file.
// The kiosks poll every second (KIOSK_POLL_SECONDS), so their calls after a node's death come soon.
const cluster = useCluster(
  { 'baku-1': { NODE_REGION: 'baku' }, 'ganja-1': { NODE_REGION: 'ganja' }, 'ganja-2': { NODE_REGION: 'ganja' } },
  { common: { ...FAST_DEATH, KIOSK_POLL_SECONDS: '1' } },
);
let baku: ClusterNode;
let ganja1: ClusterNode;
let ganja2: ClusterNode;
let browser: Browser;
let trainer: Page;
let kiosk: Page;
let lecture: TestLecture;
/** An idle classroom kiosk of the ganja region (site Shamkir, in no lecture), opened on ganja-1, and the HTTP calls it made. */
let idle: Page;
let idleCalls: KioskCall[] = [];
/** When ganja-1 was SIGKILLed. */
let killed = 0;

/** The same link, on another node (links carry the PUBLIC_URL of the node that made them). */
const on = (node: ClusterNode, link: string) => {
  const url = new URL(link);
  return `${node.url}${url.pathname}${url.search}`;
};

const pageState = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { teleclass?: { session: { state: Record<string, unknown> } } }).teleclass?.session.state;
    return {
      node: document.documentElement.dataset['node'] ?? null,
      phase: s?.['phase'] ?? null,
      connection: s?.['connection'] ?? null,
    };
  });

/** Video frames the page's receivers decoded so far (its WebRTC stats, through the page's test hook). */
const decodedVideoFrames = (page: Page): Promise<number> =>
  page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats?: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    let frames = 0;
    for (const s of (await hook?.stats?.()) ?? []) if (s['type'] === 'inbound-rtp' && s['kind'] === 'video') frames += Number(s['framesDecoded'] ?? 0);
    return frames;
  });

const HEARTBEAT_MS = 5_000; // ATTENDANCE_HEARTBEAT_SECONDS, default

interface SessionRow {
  id: string;
  role: string;
  node_id: string;
  joined_at: number;
  left_at: number | null;
  left_reason: string | null;
  last_seen_at: number;
}
/** The classroom's sessions, oldest first, straight from PostgreSQL. */
const classroomSessions = async (): Promise<SessionRow[]> =>
  (
    await queryDatabase<Record<keyof SessionRow, string | number | null>>(
      cluster.services.databaseUrl,
      "SELECT id, role, node_id, joined_at, left_at, left_reason, last_seen_at FROM attendance WHERE lecture_id = $1 AND role = 'site' ORDER BY joined_at, rowid",
      [lecture.lecture.id],
    )
  ).map((r) => ({
    id: String(r.id),
    role: String(r.role),
    node_id: String(r.node_id),
    joined_at: Number(r.joined_at),
    left_at: r.left_at === null ? null : Number(r.left_at),
    left_reason: r.left_reason === null ? null : String(r.left_reason),
    last_seen_at: Number(r.last_seen_at),
  }));

/** One call of a kiosk page's HTTP API (its poll or its pre-flight report): which node answered, with what. */
interface KioskCall {
  /** When the browser sent it (its network stack's clock, not the page's), and when its answer or failure was seen here. */
  sentAt: number;
  at: number;
  kind: 'poll' | 'report';
  node: string | null;
  /** The HTTP status, or 0: no answer (the node is gone). */
  status: number;
}

/** Records every poll and pre-flight report the page sends, by the node it went to (the page's own node or another). */
function recordKioskCalls(page: Page, nodes: ClusterNode[]): KioskCall[] {
  const calls: KioskCall[] = [];
  const record = (req: Request, status: number) => {
    const { origin, pathname } = new URL(req.url());
    const kind = /^\/api\/kiosk\/[^/]+$/.test(pathname) ? 'poll' : /^\/api\/kiosk\/[^/]+\/preflight$/.test(pathname) ? 'report' : null;
    if (req.method() !== 'POST' || kind === null) return;
    const at = Date.now();
    const started = req.timing().startTime;
    const sentAt = Number.isFinite(started) && started > 0 ? Math.min(started, at) : at;
    calls.push({ sentAt, at, kind, node: nodes.find((n) => new URL(n.url).origin === origin)?.id ?? null, status });
  };
  page.on('response', (res) => record(res.request(), res.status()));
  page.on('requestfailed', (req) => record(req, 0));
  return calls;
}

/** The calls sent after `since` that were answered (2xx). */
const answeredSince = (calls: KioskCall[], since: number) => calls.filter((c) => c.sentAt > since && c.status >= 200 && c.status < 300);

/** The node that answered the page's last call of `kind` sent after `since`. */
const lastAnswered = (calls: KioskCall[], kind: KioskCall['kind'], since: number) => answeredSince(calls, since).filter((c) => c.kind === kind).at(-1)?.node ?? null;

/** Runs the idle kiosk's pre-flight check ("Check") and answers the node its report went to. */
async function preflightReportedTo(page: Page, calls: KioskCall[]): Promise<string | null> {
  await page.locator('[data-testid="preflight"][data-running="false"]').waitFor({ timeout: 30_000 });
  const clicked = Date.now();
  await page.getByTestId('preflight-run').click();
  await expect.poll(() => lastAnswered(calls, 'report', clicked), { timeout: 30_000 }).not.toBeNull();
  return lastAnswered(calls, 'report', clicked);
}

/** The video streams the page's receiver has (by SSRC: a new consumer has a new one) and the frames each decoded. */
const videoStreams = (page: Page): Promise<{ ssrc: number; frames: number }[]> =>
  page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats?: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    return ((await hook?.stats?.()) ?? [])
      .filter((s) => s['type'] === 'inbound-rtp' && s['kind'] === 'video')
      .map((s) => ({ ssrc: Number(s['ssrc']), frames: Number(s['framesDecoded'] ?? 0) }));
  });

/**
 * When the page first decodes a frame of a video stream it did not have at the kill (`before`: the
 * node it was on is dead, so only a stream from the new node can decode): polled every 100 ms from
 * the call, for at most `timeoutMs`. Answers the time (Date.now()) of the poll that saw it.
 */
async function firstNewFrame(page: Page, before: ReadonlySet<number>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const streams = await videoStreams(page).catch(() => []);
    if (streams.some((s) => !before.has(s.ssrc) && s.frames > 0)) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no frame of a new video stream decoded within ${timeoutMs} ms`);
}

beforeAll(async () => {
  ({ 'baku-1': baku, 'ganja-1': ganja1, 'ganja-2': ganja2 } = cluster.nodes);
  const site = await baku.request('POST', '/api/sites', { token: CLUSTER_ADMIN_TOKEN, body: { name: 'Ganja', region: 'ganja' } });
  expect(site.status).toBe(201);
  const shamkir = await baku.request('POST', '/api/sites', { token: CLUSTER_ADMIN_TOKEN, body: { name: 'Shamkir', region: 'ganja' } });
  expect(shamkir.status).toBe(201);
  lecture = await createTestLectureOn(baku, { sites: ['Ganja'] });
  browser = await launchChromium();

  trainer = await newPage(browser, 'trainer');
  await trainer.goto(on(baku, lecture.links.trainer));
  await expectVideoPlays(trainer, 'studio-preview');
  await trainer.getByTestId('go-live').click();
  await trainer.locator('[data-testid="lecture-state"][data-state="live"]').first().waitFor({ timeout: 20_000 });

  // The idle kiosk on ganja-1. Its clock is Playwright's (time runs as usual), so the test can move
  // it past HttpFailover's HOME_RETRY_MS (30 s) instead of waiting that long for it to try home.
  idle = await newPage(browser, 'idle-kiosk');
  idleCalls = recordKioskCalls(idle, Object.values(cluster.nodes));
  await idle.clock.install();
  await idle.goto(on(ganja1, shamkir.json.kioskUrl as string));
  await idle.getByTestId('kiosk-idle').waitFor({ timeout: 20_000 });
  await waitFor(() => lastAnswered(idleCalls, 'poll', 0) === 'ganja-1', 20_000, "the idle kiosk's poll answered by ganja-1");
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('a node dies', () => {
  it('the classroom on it is joined on another node of its region within 5 s, with no click', async () => {
    kiosk = await newPage(browser, 'kiosk');
    await kiosk.goto(on(ganja1, lecture.links.sites[0]!.url));
    await expect.poll(() => pageState(kiosk), { timeout: 30_000 }).toMatchObject({ node: 'ganja-1', phase: 'joined', connection: 'connected' });
    // The lecture and both sessions — the trainer's written by baku-1, the classroom's by ganja-1 —
    // are rows of the one PostgreSQL database every node was given (not in any node's SQLite).
    await expect
      .poll(() => lectureInDatabase(cluster.services.databaseUrl, lecture.lecture.id), { timeout: 10_000 })
      .toMatchObject({
        lecture: { id: lecture.lecture.id, title: 'Cluster lecture', state: 'live' },
        attendance: [
          { role: 'trainer', node_id: 'baku-1', left_reason: null },
          { role: 'site', name: 'Ganja', node_id: 'ganja-1', left_reason: null },
        ],
      });

    // The kiosk plays the lecture from ganja-1 (which pulls it from baku-1) before the kill.
    if (MEDIA_PLANE) await expect.poll(() => decodedVideoFrames(kiosk), { timeout: 30_000 }).toBeGreaterThan(0);
    const before = new Set((await videoStreams(kiosk)).map((s) => s.ssrc));

    killed = Date.now();
    await ganja1.kill();
    // Watched from the kill on, beside the checks below (they wait on other things meanwhile).
    const mediaBack = MEDIA_PLANE ? firstNewFrame(kiosk, before, 40_000) : undefined;
    mediaBack?.catch(() => undefined); // awaited below
    await expect
      .poll(() => pageState(kiosk), { timeout: 15_000, interval: 50 })
      .toMatchObject({ node: 'ganja-2', phase: 'joined', connection: 'connected' });
    const rejoined = Date.now();
    const ms = rejoined - killed;
    console.log(`FAILOVER node-kill ${ms} ms (SIGKILL of the kiosk's node → joined on ganja-2)`);
    await screenshot(kiosk, 'cluster-failover-after');
    expect(ms).toBeLessThanOrEqual(5_000);

    // The node it moved to counts it (its registry entry, as /healthz shows).
    await expect
      .poll(async () => ((await ganja2.request('GET', '/healthz')).json as { cluster: { nodes: { id: string; load: { participants: number } }[] } }).cluster.nodes.find((n) => n.id === 'ganja-2')?.load.participants, { timeout: 10_000 })
      .toBe(1);
    // ganja-2 wrote the classroom's new session into the same database …
    await expect
      .poll(async () => (await lectureInDatabase(cluster.services.databaseUrl, lecture.lecture.id)).attendance.filter((r) => r.role === 'site' && r.left_reason === null).map((r) => r.node_id), { timeout: 10_000 })
      .toContain('ganja-2');
    // … and a survivor closed the one the dead ganja-1 held (gone from the registry, its alive
    // mark older than DEAD_NODE_SECONDS): no open session written by ganja-1 is left.
    await expect
      .poll(async () => (await classroomSessions()).filter((r) => r.node_id === 'ganja-1' && r.left_at === null).length, { timeout: 30_000, interval: 250 })
      .toBe(0);
    console.log(`FAILOVER attendance: the dead node's session closed by a survivor ${Date.now() - killed} ms after the SIGKILL`);
    const [aliveMark] = await queryDatabase<{ alive_at: string }>(cluster.services.databaseUrl, "SELECT alive_at FROM node_alive WHERE node_id = 'ganja-1'");
    const ganja1LastAlive = Number(aliveMark!.alive_at);
    const rows = await classroomSessions();
    // The classroom: one closed session (ganja-1's, ended at its last proof of life: its alive
    // mark, capped one heartbeat after the session's own last one), then one open on ganja-2.
    expect(rows.map((r) => [r.node_id, r.left_reason])).toEqual([
      ['ganja-1', 'node-lost'],
      ['ganja-2', null],
    ]);
    const [dead, now] = rows as [SessionRow, SessionRow];
    expect(dead.left_at).toBe(Math.max(dead.last_seen_at, Math.min(ganja1LastAlive, dead.last_seen_at + HEARTBEAT_MS)));
    expect(dead.left_at!).toBeLessThanOrEqual(killed); // nothing counted after the node died
    expect(now.joined_at).toBeGreaterThanOrEqual(dead.left_at!); // no presence counted twice: the gap is the failover
    expect(now.joined_at - killed).toBeLessThanOrEqual(5_000 + 1_000);

    // With the media plane (server/src/cluster/cascade) ganja-2 pulls the lecture from its origin
    // baku-1: the kiosk plays frames again. Without it a node gives only the media produced on it.
    if (MEDIA_PLANE) {
      // The kiosk's receiver decodes the studio's picture again (frames counted by WebRTC, so the
      // check does not depend on what the page lays out around them).
      const firstFrame = await mediaBack!;
      console.log(
        `FAILOVER media: the kiosk's first frame of the lecture from ganja-2 decoded ${firstFrame - killed} ms after the SIGKILL ` +
          `(${firstFrame - rejoined} ms after it was joined there; polled every 100 ms)`,
      );
      // … and the picture goes on.
      const now = await decodedVideoFrames(kiosk);
      await expect.poll(() => decodedVideoFrames(kiosk), { timeout: 30_000 }).toBeGreaterThan(now + 25);
    } else {
      console.log('FAILOVER media: no media plane on this branch (server/src/cluster/cascade): frames on ganja-2 not checked');
    }
  });

  it("an idle kiosk on the dead node: its poll and pre-flight report go to the region's other live node", async () => {
    // Its polls since the kill are answered by ganja-2 (same region), never by baku-1.
    await expect.poll(() => lastAnswered(idleCalls, 'poll', killed), { timeout: 15_000 }).toBe('ganja-2');
    const answered = answeredSince(idleCalls, killed);
    expect(new Set(answered.map((c) => c.node))).toEqual(new Set(['ganja-2']));
    const first = answered[0]!;
    console.log(`FAILOVER kiosk HTTP: the idle kiosk's first poll answered by ganja-2 ${first.at - killed} ms after the SIGKILL of its node`);
    await expect.poll(() => idle.getByTestId('kiosk-offline').count(), { timeout: 10_000 }).toBe(0); // it never showed "offline" for long
    expect(await preflightReportedTo(idle, idleCalls)).toBe('ganja-2');
  });

  it('its new node drains (SIGTERM): the page follows the push to a live node and the node exits', async () => {
    const started = Date.now();
    const exit = ganja2.terminate();
    await expect
      .poll(() => pageState(kiosk), { timeout: 15_000, interval: 50 })
      .toMatchObject({ node: 'baku-1', phase: 'joined', connection: 'connected' }); // ganja-1 is dead: another region
    const moved = Date.now() - started;
    expect(await exit).toBe(0);
    console.log(`FAILOVER drain: page on baku-1 ${moved} ms after SIGTERM, node exited after ${Date.now() - started} ms`);
    expect(moved).toBeLessThanOrEqual(5_000);
    // On the trainer's own node, the moved kiosk receives the lecture: frames play.
    await expectVideoPlays(kiosk, 'lecture-video', 20_000);
    console.log(`FAILOVER drain: the kiosk plays the lecture on baku-1 ${Date.now() - started} ms after SIGTERM`);
    // No node of its region is left: the idle kiosk's calls go to baku-1.
    await expect.poll(() => lastAnswered(idleCalls, 'poll', started), { timeout: 15_000 }).toBe('baku-1');
  });

  it("the dead node started again: the idle kiosk's calls come home to it", async () => {
    await ganja1.start();
    const back = Date.now();
    // The page tries its own node again HOME_RETRY_MS after it last did: its clock is moved on by that much.
    await idle.clock.fastForward(HOME_RETRY_MS);
    await expect.poll(() => lastAnswered(idleCalls, 'poll', back), { timeout: 15_000 }).toBe('ganja-1');
    const home = answeredSince(idleCalls, back).find((c) => c.node === 'ganja-1')!;
    console.log(`FAILOVER kiosk HTTP: home again — the idle kiosk's poll answered by ganja-1 ${home.at - back} ms after it was started again (page clock moved ${HOME_RETRY_MS} ms on)`);
    // From then on its calls stay home, the pre-flight report too.
    const since = home.at;
    await expect.poll(() => idleCalls.filter((c) => c.kind === 'poll' && c.sentAt > since).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(new Set(idleCalls.filter((c) => c.sentAt > since).map((c) => c.node))).toEqual(new Set(['ganja-1']));
    expect(await preflightReportedTo(idle, idleCalls)).toBe('ganja-1');
  });
});
