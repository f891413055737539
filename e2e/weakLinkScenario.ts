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
import { ConstrainedLink } from './netns.js';

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
      await trainer.goto(links.trainer);
      await expectVideoPlays(trainer, 'studio-preview');
      await trainer.getByTestId('go-live').click();
      await expectState(trainer, 'live');
      await trainer.getByTestId('share-screen').click();

      const viewer = await newPage(browsers[1]!, 'viewer', viewerSize);
      await viewer.goto(links.attendee);
      await viewer.getByTestId('display-name').fill('Far away');
      await viewer.getByTestId('join').click();
      await expectState(viewer, 'live');
      await expectVideoPlays(viewer, 'lecture-video', 30_000);
      await expectVideoPlays(viewer, 'slides-video', 30_000);
      await expectAudioFlows(viewer, 30_000);
      return new WeakLinkLecture(link, server, browsers, trainer, viewer, lecture.id);
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

  inbound(): Promise<Inbound> {
    return this.viewer.evaluate(async () => {
      const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
      const stats = hook ? await hook.stats() : [];
      const trackOf = (id: string) => {
        const v = document.querySelector<HTMLVideoElement>(`[data-testid="${id}"]`);
        return (v?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id ?? null;
      };
      const video = (trackId: string | null) => {
        const s = stats.find((x) => x['type'] === 'inbound-rtp' && x['kind'] === 'video' && trackId !== null && x['trackIdentifier'] === trackId);
        return s
          ? { bytes: Number(s['bytesReceived'] ?? 0), frames: Number(s['framesDecoded'] ?? 0), width: Number(s['frameWidth'] ?? 0), height: Number(s['frameHeight'] ?? 0) }
          : null;
      };
      const audio = stats.filter((x) => x['type'] === 'inbound-rtp' && x['kind'] === 'audio');
      const sum = (key: string) => audio.reduce((n, s) => n + Number(s[key] ?? 0), 0);
      return {
        at: Date.now(),
        audio: { packets: sum('packetsReceived'), lost: sum('packetsLost'), bytes: sum('bytesReceived') },
        camera: video(trackOf('lecture-video')),
        slides: video(trackOf('slides-video')),
      };
    });
  }

  async close(): Promise<void> {
    await closeAll(this.link, this.server, this.browsers);
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

/** Waits (bounded) until `n` more audio packets have reached the viewer; answers the readings at both ends. */
export async function audioWindow(lecture: WeakLinkLecture, n: number, timeoutMs: number): Promise<[Inbound, Inbound]> {
  const first = await lecture.inbound();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await lecture.inbound();
    if (now.audio.packets - first.audio.packets >= n) return [first, now];
    if (Date.now() > deadline) throw new Error(`only ${now.audio.packets - first.audio.packets} of ${n} audio packets arrived in ${timeoutMs} ms`);
    await lecture.viewer.waitForTimeout(250);
  }
}
