// One lecture with a viewer behind a constrained link (e2e/netns.ts), for the weak-link browser
// test and `npm run bench`: the server listens on the host side of the veth pair; the trainer's
// Chromium (on the host) sends a simulcast camera, a microphone and the (fake) screen; an
// attendee's Chromium runs inside the namespace. What the viewer receives is read from its own
// RTCPeerConnection (inbound-rtp per medium) and from the server (its priority step).
import type { Browser, Page } from 'playwright-core';
import { PRIORITY_STEPS, type PriorityStep } from '@teleclass/shared';
import { startServer, type RunningServer } from '../server/src/server.js';
import { createTestLecture } from '../server/test/lectures.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { expectAudioFlows, expectVideoPlays, launchChromium, newPage } from './browser.js';
import { expectState } from './fixture.js';
import { ConstrainedLink } from './constrainedLink.js';

/** What the viewer's RTCPeerConnection counted so far, per medium. */
export interface Inbound {
  at: number;
  audio: { packets: number; lost: number; bytes: number };
  camera: { bytes: number; frames: number; width: number; height: number } | null;
  slides: { bytes: number; frames: number; width: number; height: number } | null;
}

export class WeakLinkLecture {
  private constructor(
    readonly link: ConstrainedLink,
    readonly server: RunningServer,
    readonly browsers: Browser[],
    readonly trainer: Page,
    readonly viewer: Page,
    readonly lectureId: string,
    /** The classroom link of the lecture's one site (its kiosk is not started here). */
    readonly kioskUrl: string,
  ) {}

  /**
   * Everything up and playing on an open link: camera, slides and sound reach the viewer. When a
   * step fails, what was made is closed again before the error is thrown.
   */
  static async start(viewerSize = { width: 1280, height: 720 }): Promise<WeakLinkLecture> {
    const link = await ConstrainedLink.create();
    const browsers: Browser[] = [];
    let server: RunningServer | undefined;
    try {
      server = await startServer(testConfig({ HOST: link.hostIp, RTC_LISTEN_IP: link.hostIp, MEDIASOUP_WORKERS: '1' }), testLogger());
      const { lecture, links } = await createTestLecture(server, { title: 'Weak link', sites: ['Gazakh'] });
      browsers.push(await launchChromium());
      browsers.push(await launchChromium({ executablePath: link.chromiumInside() }));
      const trainer = await newPage(browsers[0]!, 'trainer');
      await gotoThroughNetworkChanges(trainer, links.trainer, () => expectVideoPlays(trainer, 'studio-preview'));
      await trainer.getByTestId('go-live').click();
      await expectState(trainer, 'live');
      await trainer.getByTestId('share-screen').click();

      const viewer = await newPage(browsers[1]!, 'viewer', viewerSize);
      await gotoThroughNetworkChanges(viewer, links.attendee, undefined, () => link.state());
      await viewer.getByTestId('display-name').fill('Far away');
      await viewer.getByTestId('join').click();
      await expectState(viewer, 'live');
      await expectVideoPlays(viewer, 'lecture-video', 30_000);
      await expectVideoPlays(viewer, 'slides-video', 30_000);
      await expectAudioFlows(viewer, 30_000);
      return new WeakLinkLecture(link, server, browsers, trainer, viewer, lecture.id, links.sites[0]!.url);
    } catch (error) {
      await closeAll(link, server, browsers);
      throw error;
    }
  }

  /** The viewer's participant id on the server. */
  viewerId(): string {
    const room = this.server.registry.get(this.lectureId);
    const p = room?.lecture.participants.find((x) => x.role === 'attendee');
    if (!p) throw new Error('the viewer is not in the lecture');
    return p.id;
  }

  /** The viewer's step on the server's ladder, its bandwidth estimate and the video layer it receives. */
  priority(): { step: PriorityStep; index: number; manual: boolean; estimateBps: number | null; layer: number | null } {
    const room = this.server.registry.get(this.lectureId);
    const id = this.viewerId();
    const view = room?.media.receivePriority(id);
    const step = view?.step ?? 'full';
    return { step, index: PRIORITY_STEPS.indexOf(step), manual: view?.manual ?? false, estimateBps: view?.estimateBps ?? null, layer: room?.media.receiveQuality(id).layer ?? null };
  }

  /** The viewer's changes of step so far, one line each (the policy's own record, for the figures). */
  stepChanges(): string[] {
    const room = this.server.registry.get(this.lectureId);
    const view = room?.media.receivePriority(this.viewerId());
    const k = (bps: number) => Math.round(bps / 1000);
    return (view?.changes ?? []).map(
      (c) =>
        `${(c.at / 1000).toFixed(1)} s ${c.step}: estimate ${k(c.estimate)}, judged ${k(c.bps)}, need ${k(c.need)} kbit/s, ` +
        `loss ${c.loss === null ? '–' : (c.loss * 100).toFixed(1) + ' %'}${c.clean ? ', clean' : ''}${c.steady ? ', steady' : ''}${c.overloaded ? ', overloaded' : ''}${c.tcp ? ', over TCP' : ''}` +
        (c.held === null ? '' : `; up on ${k(c.held)} kbit/s held`),
    );
  }

  inbound(): Promise<Inbound> {
    // No named functions inside: the page gets this code as it was compiled (tsx would add helpers).
    return this.viewer.evaluate(async () => {
      const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
      const stats = hook ? await hook.stats() : [];
      const result: Inbound = { at: Date.now(), audio: { packets: 0, lost: 0, bytes: 0 }, camera: null, slides: null };
      for (const [key, testId] of [['camera', 'lecture-video'], ['slides', 'slides-video']] as const) {
        const video = document.querySelector<HTMLVideoElement>(`[data-testid="${testId}"]`);
        const trackId = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id ?? null;
        const s = stats.find((x) => x['type'] === 'inbound-rtp' && x['kind'] === 'video' && trackId !== null && x['trackIdentifier'] === trackId);
        if (s) result[key] = { bytes: Number(s['bytesReceived'] ?? 0), frames: Number(s['framesDecoded'] ?? 0), width: Number(s['frameWidth'] ?? 0), height: Number(s['frameHeight'] ?? 0) };
      }
      for (const s of stats) {
        if (s['type'] !== 'inbound-rtp' || s['kind'] !== 'audio') continue;
        result.audio.packets += Number(s['packetsReceived'] ?? 0);
        result.audio.lost += Number(s['packetsLost'] ?? 0);
        result.audio.bytes += Number(s['bytesReceived'] ?? 0);
      }
      return result;
    });
  }

  async close(): Promise<void> {
    await closeAll(this.link, this.server, this.browsers);
  }
}

/** One try of a navigation: no document within this long is a navigation lost to the harness. */
const GOTO_TRY_MS = 20_000;

/**
 * page.goto and the page's first `ready` check, again (at most 3 times) when Chromium aborts the
 * navigation with ERR_NETWORK_CHANGED or the page reloads meanwhile: on the host
 * it sees every veth pair made or removed — this test's own namespace a moment ago, other test
 * runs' — as a network change, and drops the navigation under way. Also when no document came at
 * all within GOTO_TRY_MS: one fresh-clone run's viewer (in the namespace, on the open link) waited
 * its whole 30 s for the page's HTML, which every other page of the run got at once; what the
 * namespace looked like is printed then, and the page is asked for again.
 */
async function gotoThroughNetworkChanges(
  page: Page,
  url: string,
  ready: () => Promise<unknown> = async () => undefined,
  state: () => Promise<string> = async () => '',
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url, { timeout: GOTO_TRY_MS });
      await ready();
      return;
    } catch (error) {
      // The navigation aborted, or the page reloaded itself meanwhile (a chunk the network change
      // cut off: client/src/chunkReload.ts) under the test's feet, or it never answered.
      const message = String((error as Error).message);
      const lost = /page\.goto: Timeout \d+ms exceeded/.test(message);
      if (attempt >= 3 || !(lost || /ERR_NETWORK_CHANGED|Execution context was destroyed|interrupted by another navigation/.test(message))) throw error;
      if (lost) console.warn(`navigation try ${attempt} got no document in ${GOTO_TRY_MS} ms (${url.split('?')[0]}); asking again. The browser's side:\n${await state()}`);
    }
  }
}

async function closeAll(link: ConstrainedLink, server: RunningServer | undefined, browsers: Browser[]): Promise<void> {
  for (const b of browsers) await b.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await link.close();
}

/** Per second between two readings: bytes by medium, and the audio packets lost (%). */
export function rates(a: Inbound, b: Inbound): { seconds: number; audioBps: number; cameraBps: number; slidesBps: number; audioLossPct: number; audioPackets: number } {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const bits = (x: number | undefined, y: number | undefined) => Math.max(0, ((y ?? 0) - (x ?? 0)) * 8) / seconds;
  const received = b.audio.packets - a.audio.packets;
  const lost = Math.max(0, b.audio.lost - a.audio.lost);
  return {
    seconds,
    audioBps: bits(a.audio.bytes, b.audio.bytes),
    cameraBps: bits(a.camera?.bytes, b.camera?.bytes),
    slidesBps: bits(a.slides?.bytes, b.slides?.bytes),
    audioLossPct: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    audioPackets: received,
  };
}

/**
 * Waits (bounded) until `n` more audio packets have reached the viewer; answers the readings at
 * both ends. `steps`, when given, gets every step the viewer was on meanwhile, in order.
 */
export async function audioWindow(lecture: WeakLinkLecture, n: number, timeoutMs: number, steps?: PriorityStep[]): Promise<[Inbound, Inbound]> {
  const first = await lecture.inbound();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const step = lecture.priority().step;
    if (steps && steps.at(-1) !== step) steps.push(step);
    const now = await lecture.inbound();
    if (now.audio.packets - first.audio.packets >= n) return [first, now];
    if (Date.now() > deadline) throw new Error(`only ${now.audio.packets - first.audio.packets} of ${n} audio packets arrived in ${timeoutMs} ms`);
    await lecture.viewer.waitForTimeout(250);
  }
}

/** Waits (bounded) until the viewer's step has not changed for `quietMs`; answers the steps it went through. */
export async function settledSteps(lecture: WeakLinkLecture, quietMs: number, timeoutMs: number): Promise<PriorityStep[]> {
  const steps: PriorityStep[] = [lecture.priority().step];
  let since = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { step } = lecture.priority();
    if (step !== steps.at(-1)) {
      steps.push(step);
      since = Date.now();
    }
    if (Date.now() - since >= quietMs) return steps;
    if (Date.now() > deadline) throw new Error(`the step did not settle in ${timeoutMs} ms: ${steps.join(' → ')}`);
    await lecture.viewer.waitForTimeout(250);
  }
}

/**
 * Waits (bounded) until the camera is given back (a step above camera-off) and its pictures
 * decode again; answers the ms it took from `from`, and each reading on the way (for a failure's message).
 */
export async function cameraBack(lecture: WeakLinkLecture, from: number, timeoutMs: number, trail: string[] = []): Promise<number> {
  const cameraOff = PRIORITY_STEPS.indexOf('camera-off');
  let last = await lecture.inbound();
  const deadline = from + timeoutMs;
  for (;;) {
    await lecture.viewer.waitForTimeout(250);
    const now = await lecture.inbound();
    const p = lecture.priority();
    trail.push(`${((Date.now() - from) / 1000).toFixed(1)} s ${p.step} ${Math.round((p.estimateBps ?? 0) / 1000)} kbit/s frames ${now.camera?.frames ?? 0}`);
    if (p.index < cameraOff && (now.camera?.frames ?? 0) > (last.camera?.frames ?? 0)) return Date.now() - from;
    last = now;
    if (Date.now() > deadline) throw new Error(`the camera did not come back in ${timeoutMs} ms: ${trail.join(' | ')}`);
  }
}

/** Waits (bounded) until the policy holds something back for the viewer (a step below full). */
export async function heldBack(lecture: WeakLinkLecture, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (lecture.priority().step === 'full') {
    if (Date.now() > deadline) throw new Error(`nothing was held back in ${timeoutMs} ms (estimate ${lecture.priority().estimateBps})`);
    await lecture.viewer.waitForTimeout(250);
  }
}
