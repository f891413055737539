// One viewer's weak-link policy on real mediasoup consumers: a simulcast camera, slides with
// temporal layers (L1T3) and sound, on a real WebRtcTransport. The bandwidth estimate is the one
// input fed here (the transport's own 'bwe' trace event, as mediasoup emits it, and the loss the
// viewer would report, which a shortfall needs before anything is held back); what is checked
// is what mediasoup was told: the camera's preferred layers and pause, the slides' frame rate,
// that sound is never paused, and that the viewer's own wishes and the policy never undo each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivePriority } from '@teleclass/shared';
import { MEDIA_CODECS } from '../../src/media/codecs.js';
import { CAMERA_OFF, DOWN_HOLD_MS, STEPS, UP_HOLD_MS } from '../../src/media/LecturePriority.js';
import { mediasoup, type ms } from '../../src/media/mediasoup.js';
import { ViewerPriority } from '../../src/media/ViewerPriority.js';
import { testLogger } from '../helpers.js';

let worker: ms.Worker;
let router: ms.Router;

const vp8 = (pt: number) => ({ mimeType: 'video/VP8', payloadType: pt, clockRate: 90000 });
const RATES: Record<string, number[]> = {};

async function producers() {
  const plain = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
  const camera = await plain.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [vp8(96)],
      encodings: [
        { ssrc: 1001, scalabilityMode: 'L1T3' },
        { ssrc: 1002, scalabilityMode: 'L1T3' },
        { ssrc: 1003, scalabilityMode: 'L1T3' },
      ],
    },
  });
  const screen = await plain.produce({ kind: 'video', rtpParameters: { codecs: [vp8(97)], encodings: [{ ssrc: 2001, scalabilityMode: 'L1T3' }] } });
  const audio = await plain.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 3001 }] },
  });
  RATES[camera.id] = [150_000, 500_000, 1_500_000];
  RATES[screen.id] = [300_000];
  RATES[audio.id] = [40_000];
  return { camera, screen, audio };
}

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
});
afterAll(() => worker?.close());

describe('a viewer on a weak link (real consumers, estimate fed)', () => {
  it('asks the worker for the estimate only once the viewer is connected: no request of its own on the join path', async () => {
    const transport = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
    const policy = new ViewerPriority(transport, {
      rates: () => [],
      layerCount: () => 1,
      manual: false,
      events: { changed: () => undefined },
      logger: testLogger(),
    });
    // The worker answers in order: what the policy asked before this dump has been done by then.
    expect((await transport.dump()).traceEventTypes).toEqual([]);
    transport.emit('dtlsstatechange', 'connecting');
    expect((await transport.dump()).traceEventTypes).toEqual([]);
    transport.emit('dtlsstatechange', 'connected');
    expect((await transport.dump()).traceEventTypes).toEqual(['bwe']);
    transport.emit('dtlsstatechange', 'connected'); // asked once
    transport.close();
    policy.close();
  });

  it('holds back the camera first, the slides last, never the sound; gives back in reverse with a hold', async () => {
    const { camera, screen, audio } = await producers();
    const transport = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
    let now = 0;
    let loss = 0; // the share of what is sent the viewer reports lost
    const told: ReceivePriority[] = [];
    const policy = new ViewerPriority(transport, {
      rates: (id) => RATES[id] ?? [],
      layerCount: (id) => (id === camera.id ? 3 : 1),
      manual: false,
      events: { changed: (v) => told.push(v) },
      logger: testLogger(),
      now: () => now,
      linkStats: async () => ({ sendBitrate: 1_000_000, rtpPacketLossSent: loss }),
    });
    const rtpCapabilities = router.rtpCapabilities;
    const consume = async (producerId: string, source: 'camera' | 'screen' | 'microphone') => {
      const c = await transport.consume({ producerId, rtpCapabilities, paused: true });
      await policy.add(c, source);
      await policy.setClientPaused(c.id, false); // the viewer resumes it once its track is set up
      return c;
    };
    const cam = await consume(camera.id, 'camera');
    const slides = await consume(screen.id, 'screen');
    const sound = await consume(audio.id, 'microphone');
    expect(cam.type).toBe('simulcast');
    expect(slides.type).toBe('simulcast'); // one spatial layer, three temporal ones: its frame rate can be lowered

    // The viewer shows the camera large: it wants the top layer, and gets it on a good link.
    await policy.setWanted(cam.id, 2, 2);
    const estimate = async (available: number, desired = 2_500_000) => {
      transport.emit('trace', { type: 'bwe', timestamp: now, direction: 'out', info: { availableBitrate: available, desiredBitrate: desired } });
      policy.tick();
      await new Promise((r) => setImmediate(r)); // the loss measured meanwhile
      await policy.settled();
    };
    /** A shortfall the viewer loses packets by, held until the policy may act on it (DOWN_HOLD_MS). */
    const shortFor = async (available: number) => {
      loss = 0.05;
      for (const end = now + DOWN_HOLD_MS + 1_000; now <= end; now += 500) await estimate(available);
      loss = 0;
    };
    now = 1_000;
    await estimate(5_000_000);
    expect(policy.view.step).toBe('full');
    expect(cam.preferredLayers).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    expect(cam.paused).toBe(false);

    // 330 kbit/s: sound (40k) + slides (300k) fit, not even the lowest camera layer at its lowest frame rate:
    // the camera is paused, the slides keep everything.
    // One low estimate, or a long shortfall the viewer loses nothing by (a busy CPU on loopback): nothing moves.
    now = 2_000;
    for (const end = now + DOWN_HOLD_MS * 3; now <= end; now += 500) await estimate(330_000);
    expect(policy.view.step).toBe('full');
    expect(cam.paused).toBe(false);
    await estimate(5_000_000);
    await shortFor(330_000);
    expect(policy.view.step).toBe('camera-off');
    expect(cam.paused).toBe(true);
    expect(slides.paused).toBe(false);
    expect(slides.preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 2 });
    expect(sound.paused).toBe(false);
    expect(told.at(-1)).toEqual({ step: 'camera-off', manual: false });

    // The viewer resumes or resizes the camera meanwhile: it stays paused while the link says so.
    await policy.setClientPaused(cam.id, false);
    await policy.setWanted(cam.id, 2, 2);
    expect(cam.paused).toBe(true);

    // Worse: the slides lose frame rate, never resolution (spatial layer 0 is their only one); sound plays on.
    await shortFor(150_000);
    expect(STEPS.indexOf(policy.view.step)).toBeGreaterThan(CAMERA_OFF);
    expect(slides.preferredLayers?.spatialLayer).toBe(0);
    expect(slides.preferredLayers?.temporalLayer).toBeLessThan(2);
    expect(sound.paused).toBe(false);

    // Still behind the lossy link (3 % at random: at a few dozen packets a second mediasoup's
    // figure wanders from 0.4 to 4 %; consumers' scores untouched), estimates between a probe's
    // peak and the link's rate: the link never reads clean, so a peak is never believed and the
    // camera stays off.
    for (const end = now + UP_HOLD_MS * 4; now <= end; now += 500) {
      loss = now % 4_000 === 0 ? 0.04 : 0.004;
      await estimate(now % 2_000 === 0 ? 5_000_000 : 300_000);
    }
    expect(STEPS.indexOf(policy.view.step)).toBeGreaterThan(CAMERA_OFF);
    expect(cam.paused).toBe(true);
    // …and when the few packets mediasoup's figure counts (those carrying transport-cc: video and
    // probes, not the sound) show no loss for seconds on end, a peak is still not the link: the
    // ladder tests it one step at a time, and a step the link then loses packets by goes back
    // down and is not tried again for a while.
    loss = 0;
    const climbed: number[] = [STEPS.indexOf(policy.view.step)];
    for (const end = now + 4_000; now <= end; now += 500) {
      await estimate(now % 2_000 === 0 ? 5_000_000 : 300_000);
      if (climbed.at(-1) !== STEPS.indexOf(policy.view.step)) climbed.push(STEPS.indexOf(policy.view.step));
    }
    for (let i = 1; i < climbed.length; i++) expect(climbed[i - 1]! - climbed[i]!).toBeLessThanOrEqual(2);
    expect(climbed.length).toBeGreaterThan(1); // it did test the link…
    expect(policy.view.step).not.toBe('full'); // …and no peak took it all the way

    // An estimate that is low only because little is asked for (mediasoup not short) is no reason to go down.
    const before = policy.view.step;
    now += 1_000;
    await estimate(100_000, 90_000);
    expect(STEPS.indexOf(policy.view.step)).toBeLessThanOrEqual(STEPS.indexOf(before)); // not down (a clean link may go on up)

    // The link recovers: only after a hold of UP_HOLD_MS, always upwards, the camera last.
    const seen: string[] = [];
    for (const end = now + UP_HOLD_MS * 10; now <= end && policy.view.step !== 'full'; ) {
      now += 1_000;
      await estimate(5_000_000);
      if (seen.at(-1) !== policy.view.step) seen.push(policy.view.step);
    }
    expect(policy.view.step).toBe('full');
    const indices = seen.map((s) => STEPS.indexOf(s as (typeof STEPS)[number]));
    for (let i = 1; i < indices.length; i++) expect(indices[i - 1]!).toBeGreaterThan(indices[i]!);
    expect(cam.paused).toBe(false);
    expect(cam.preferredLayers).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    expect(slides.preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 2 });

    // "Audio and slides only": the camera is paused at once whatever the link, and comes back when undone.
    await policy.setManual(true);
    expect(cam.paused).toBe(true);
    expect(told.at(-1)).toEqual({ step: 'camera-off', manual: true });
    now += 60_000;
    await estimate(10_000_000);
    expect(cam.paused).toBe(true);
    await policy.setManual(false);
    expect(cam.paused).toBe(false);
    expect(told.at(-1)).toEqual({ step: 'full', manual: false });

    // The viewer's own pause holds whatever the step.
    await policy.setClientPaused(sound.id, true);
    expect(sound.paused).toBe(true);

    transport.close();
    expect(() => policy.tick()).not.toThrow();
  });

  it('over TCP the estimate alone moves it: loss readings of 0 are not a clean link', async () => {
    const { camera, screen, audio } = await producers();
    const transport = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
    let now = 0;
    let protocol: 'udp' | 'tcp' = 'tcp';
    const policy = new ViewerPriority(transport, {
      rates: (id) => RATES[id] ?? [],
      layerCount: (id) => (id === camera.id ? 3 : 1),
      manual: false,
      events: { changed: () => undefined },
      logger: testLogger(),
      now: () => now,
      // TCP resends what the link drops: the viewer reports no loss, ever.
      linkStats: async () => ({ sendBitrate: 300_000, rtpPacketLossSent: 0 }),
      linkProtocol: () => protocol,
    });
    for (const [producer, source] of [[camera, 'camera'], [screen, 'screen'], [audio, 'microphone']] as const) {
      const c = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
      await policy.add(c, source);
      await policy.setClientPaused(c.id, false);
    }
    const estimate = async (available: number, desired = 2_500_000) => {
      transport.emit('trace', { type: 'bwe', timestamp: now, direction: 'out', info: { availableBitrate: available, desiredBitrate: desired } });
      policy.tick();
      await new Promise((r) => setImmediate(r));
      await policy.settled();
    };
    now = 1_000;
    await estimate(5_000_000);
    expect(policy.view.step).toBe('full');
    // A held shortfall goes down without any loss (over UDP it needs the viewer's loss, above).
    for (const end = now + DOWN_HOLD_MS + 1_000; now <= end; now += 500) await estimate(330_000);
    expect(STEPS.indexOf(policy.view.step)).toBeGreaterThanOrEqual(CAMERA_OFF);
    // Estimates short of the camera for a long time, readings of no loss all along: it stays down
    // (over UDP a clean link steps up one step every 2 s, whatever the estimate).
    const down = STEPS.indexOf(policy.view.step);
    for (const end = now + UP_HOLD_MS * 4; now <= end; now += 500) await estimate(330_000);
    expect(STEPS.indexOf(policy.view.step)).toBe(down);
    expect(policy.changes.at(-1)?.tcp).toBe(true);
    // The same readings over UDP: the clean link is tested step by step.
    protocol = 'udp';
    for (const end = now + 6_000; now <= end; now += 500) await estimate(330_000);
    expect(STEPS.indexOf(policy.view.step)).toBeLessThan(down);
    policy.close();
  });
});
