// A 10 s silent network cut under a classroom kiosk, in Chromium. The kiosk's browser runs in a
// network namespace made by this test (a veth pair on a private /30; the server listens on the
// host's veth address as well as 127.0.0.1), and the cut drops every packet with nftables — no
// error, no FIN, as a regional line that goes dark. The line goes dark during an ICE restart:
// the server gets the request and changes the credentials, the answer never arrives. Expected: the server holds the kiosk (SESSION_RESUME_GRACE_SECONDS),
// the kiosk RESUMES — same participant, one attendance session, the server saw `resume`, not
// `join` — the ICE restart whose answer was lost is done again, so the page holds the server's
// current credentials, and
// frames are decoded again ≤ 3 s after the network returns (counted in the page every 100 ms).
// Prints `SILENT-CUT recovery <ms> ms`. Where namespaces cannot be made (not root, no
// CAP_NET_ADMIN) the test says why and is skipped (README: Reliability and limits).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/src/server.js';
import { httpsRequest, testConfig, testLogger } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, launchChromium, newPage, screenshot } from './browser.js';
import { expectState } from './fixture.js';
import { BrowserNamespace, netnsUnavailable } from './netns.js';
import type {} from '../client/src/media/diagnostics.js'; // window.teleclass

const CUT_MS = 10_000;
/** The assertion: frames again this soon after the network returns. */
const RECOVERY_LIMIT_MS = 3_000;

const unavailable = netnsUnavailable();
if (unavailable) console.log(`SILENT-CUT skipped: ${unavailable}`);

let ns: BrowserNamespace | undefined;
let server: RunningServer | undefined;
let hostBrowser: Browser | undefined;
let kioskBrowser: Browser | undefined;

beforeAll(async () => {
  if (unavailable) return;
  ns = BrowserNamespace.create();
  server = await startServer(
    testConfig({
      // Every address (127.0.0.1 for the studio, the veth for the kiosk); media announced on the veth.
      HOST: '0.0.0.0',
      RTC_LISTEN_IP: '0.0.0.0',
      RTC_ANNOUNCED_ADDRESS: ns.hostAddress,
      MEDIASOUP_WORKERS: '1',
    }),
    testLogger(),
  );
  hostBrowser = await launchChromium();
  kioskBrowser = await launchChromium({ executablePath: ns.chromium });
}, 90_000);

afterAll(async () => {
  ns?.restore();
  await kioskBrowser?.close().catch(() => {});
  await hostBrowser?.close().catch(() => {});
  await server?.close();
  ns?.remove();
}, 60_000);

/** Frames decoded by the kiosk's lecture video, sampled by the page itself every 100 ms. */
async function countFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { frameLog: [number, number][] };
    w.frameLog = [];
    setInterval(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="lecture-video"]');
      w.frameLog.push([Date.now(), v ? v.getVideoPlaybackQuality().totalVideoFrames : 0]);
      if (w.frameLog.length > 3_000) w.frameLog.shift();
    }, 100);
  });
}

const frameLog = (page: Page) => page.evaluate(() => (window as unknown as { frameLog: [number, number][] }).frameLog);

/** The first sample after `since` whose count grew past the count at `since` (null: none yet). */
function firstNewFrame(log: [number, number][], since: number): number | null {
  const before = log.filter(([t]) => t <= since).at(-1)?.[1] ?? 0;
  const next = log.find(([t, frames]) => t > since && frames > before);
  return next ? next[0] : null;
}

/** Signaling requests the server answered, by method and outcome (its /metrics). */
async function answered(method: string, outcome = 'ok'): Promise<number> {
  const res = await httpsRequest('GET', `${server!.url}/metrics`, { ca: server!.certificate, token: server!.adminToken });
  const match = new RegExp(`signaling_request_duration_seconds_count\\{method="${method}",outcome="${outcome}"\\} (\\d+)`).exec(res.body);
  return match ? Number(match[1]) : 0;
}

describe.skipIf(unavailable !== null)('a 10 s silent network cut under a kiosk (network namespace, nftables)', () => {
  it('resumes the same participant with one attendance session, handles the ICE restart asked during the cut, frames ≤ 3 s after', async () => {
    const { links, lecture } = await createTestLecture(server!, { title: 'Silent cut', sites: ['Gəncə'] });
    const trainer = await newPage(hostBrowser!, 'cut-trainer');
    const studio = new URL(links.trainer);
    studio.hostname = '127.0.0.1';
    await trainer.goto(studio.toString());
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const kiosk = await newPage(kioskBrowser!, 'cut-kiosk');
    const url = new URL(links.sites[0]!.url);
    url.hostname = ns!.hostAddress; // reached over the veth, from inside the namespace
    await kiosk.goto(url.toString());
    await expectVideoPlays(kiosk, 'lecture-video', 30_000);
    await expect.poll(() => kiosk.evaluate(() => window.teleclass?.session.state.transports.recv ?? null), { timeout: 20_000 }).toBe('connected');
    await countFrames(kiosk);
    const selfId = await kiosk.evaluate(() => window.teleclass!.session.state.self!.id);
    const room = server!.registry.get(lecture.id)!;
    /** The kiosk's attendance sessions, once every write the rooms queued is in the store. */
    const sessions = async () => {
      await server!.registry.settled();
      return (await server!.store.listAttendance(lecture.id)).filter((r) => r.role === 'site');
    };
    expect(await sessions()).toHaveLength(1);
    const joinsBefore = await answered('join');
    const resumesBefore = await answered('resume');
    const restartsBefore = await answered('restartIce');
    const resumed = new Promise<string>((resolve) => kiosk.on('console', (m) => m.text().includes('session resumed') && resolve(m.text())));
    let rebuilt = false;
    kiosk.on('console', (m) => void (m.text().includes('rebuilding media') && (rebuilt = true)));

    // The line goes dark during an ICE restart: the request still goes out and the server makes
    // new credentials, but nothing comes back — the answer is lost (the race of issue 18: a
    // page left with credentials the server no longer accepts).
    ns!.cut('inbound');
    const cutAt = Date.now();
    await kiosk.evaluate(() => window.teleclass!.restartIce('recv'));
    await expect.poll(() => answered('restartIce'), { timeout: 5_000, interval: 100 }).toBe(restartsBefore + 1);
    ns!.cut('both');
    // The server notices within its heartbeat (SOCKET_PING_INTERVAL_MS + SOCKET_PING_TIMEOUT_MS) and holds the kiosk.
    await expect.poll(() => room.attachmentOf(selfId) === undefined, { timeout: CUT_MS - 1_000, interval: 100 }).toBe(true);
    const heldAfterMs = Date.now() - cutAt;
    expect(room.lecture.participant(selfId)).toBeDefined();
    await kiosk.waitForTimeout(Math.max(0, CUT_MS - (Date.now() - cutAt))); // the fault's length, not a wait for media
    const framesDuringCut = (await frameLog(kiosk)).filter(([t]) => t > cutAt + 3_000);
    await screenshot(kiosk, 'silent-cut-dark');

    ns!.restore();
    const restoredAt = Date.now();
    await expect.poll(async () => firstNewFrame(await frameLog(kiosk), restoredAt), { timeout: 30_000, interval: 200 }).not.toBeNull();
    const recoveryMs = firstNewFrame(await frameLog(kiosk), restoredAt)! - restoredAt;
    console.log(`SILENT-CUT recovery ${recoveryMs} ms after the network returned (held after ${heldAfterMs} ms; ${await resumed})`);
    await screenshot(kiosk, 'silent-cut-back');

    // The cut was real: no new frame for most of it.
    expect(new Set(framesDuringCut.map(([, f]) => f)).size).toBeLessThanOrEqual(2);
    expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    // A resume, not a rejoin: the same participant, one attendance session still open, no join answered.
    expect(await kiosk.evaluate(() => window.teleclass!.session.state.self!.id)).toBe(selfId);
    expect(room.lecture.participants.filter((p) => p.role === 'site').map((p) => p.id)).toEqual([selfId]);
    expect(room.attachmentOf(selfId)).toBeDefined();
    const after = await sessions();
    expect(after).toHaveLength(1);
    expect(after[0]!.leftAt).toBeNull();
    expect(await answered('resume')).toBe(resumesBefore + 1);
    expect(await answered('join')).toBe(joinsBefore);
    // The restart whose answer was lost was done again after the resume (the page now holds the
    // server's current credentials).
    expect(await answered('restartIce')).toBeGreaterThanOrEqual(restartsBefore + 2);
    await expect.poll(() => kiosk.evaluate(() => window.teleclass!.session.state.reconnecting), { timeout: 15_000 }).toBe(false);
    await expectVideoPlays(kiosk, 'lecture-video');
    // And it stays so: past the watchdog's restart deadline (4 s) no rebuild, no join.
    await kiosk.waitForTimeout(6_000);
    expect(rebuilt).toBe(false);
    expect(await answered('join')).toBe(joinsBefore);
    expect(await kiosk.evaluate(() => window.teleclass!.session.state.self!.id)).toBe(selfId);
    await kiosk.context().close();
    await trainer.context().close();
  }, 150_000);
});
