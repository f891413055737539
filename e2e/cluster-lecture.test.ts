// One lecture across three Teleclass processes on a real Redis and a real PostgreSQL (started by
// the test: every node's REDIS_URL and DATABASE_URL): the trainer
// in Chromium on the origin, a classroom on edge A and an attendee on edge B, each in Chromium on
// the node whose URL it opened. The edges pull the studio's streams once each through SRTP
// PipeTransports from the origin; each page's selected ICE candidate pair points at its own
// node's media port, and the page's receiver decodes the lecture's picture and gets its sound.
// The room is the origin's (cluster/roomLink.ts): the kiosk on edge A knows the trainer from its
// join answer and shows the lecture (not "the trainer's connection dropped"); its raised hand
// reaches the trainer on the origin, who gives it the floor, and the attendee on edge B hears the
// classroom's microphone (pulled up to the origin and down to edge B). Then the origin is
// SIGKILLed: the trainer's page fails over to another node, which becomes the origin once the
// dead one's claim lapses, and both edges' viewers decode the new streams.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ClusterNode } from '../server/test/fixtures/clusterNode.js';
import { createTestLectureOn } from '../server/test/fixtures/clusterLecture.js';
import { useCluster } from '../server/test/fixtures/useCluster.js';
import { expectVideoPlays, launchChromium, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState } from './fixture.js';

/** The remote port of the selected ICE candidate pair of the page's receiving transport. */
function selectedRemotePort(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    if (!hook) return null;
    const stats = await hook.stats();
    const byId = new Map(stats.map((s) => [String(s['id']), s]));
    const transport = stats.find((s) => s['type'] === 'transport' && s['selectedCandidatePairId']);
    const pair =
      (transport && byId.get(String(transport['selectedCandidatePairId']))) ??
      stats.find((s) => s['type'] === 'candidate-pair' && s['state'] === 'succeeded' && s['nominated']);
    const remote = pair && byId.get(String(pair['remoteCandidateId']));
    return remote ? Number(remote['port']) : null;
  });
}

/** What the page's receiving transport got of the lecture: video frames decoded (key frames, width) and audio packets. */
function received(page: Page): Promise<{ frames: number; keyFrames: number; width: number; audioPackets: number }> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    const out = { frames: 0, keyFrames: 0, width: 0, audioPackets: 0 };
    for (const s of (await hook?.stats()) ?? []) {
      if (s['type'] !== 'inbound-rtp' || s['trackIdentifier'] === 'probator') continue;
      if (s['kind'] === 'audio') out.audioPackets += Number(s['packetsReceived'] ?? 0);
      if (s['kind'] === 'video') {
        out.frames += Number(s['framesDecoded'] ?? 0);
        out.keyFrames += Number(s['keyFramesDecoded'] ?? 0);
        out.width = Math.max(out.width, Number(s['frameWidth'] ?? 0));
      }
    }
    return out;
  });
}

/** The ids of the page's received video tracks (its consumers'), the bandwidth probe's aside. */
function videoTracks(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    const stats = (await hook?.stats()) ?? [];
    return stats.filter((s) => s['type'] === 'inbound-rtp' && s['kind'] === 'video' && s['trackIdentifier'] !== 'probator').map((s) => String(s['trackIdentifier']));
  });
}

/** Key frames decoded on video tracks other than `known`: a stream that did not exist then. */
function keyFramesBeyond(page: Page, known: readonly string[]): Promise<number> {
  return page.evaluate(async (known) => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    let n = 0;
    for (const s of (await hook?.stats()) ?? []) {
      if (s['type'] !== 'inbound-rtp' || s['kind'] !== 'video' || s['trackIdentifier'] === 'probator') continue;
      if (!known.includes(String(s['trackIdentifier']))) n += Number(s['keyFramesDecoded'] ?? 0);
    }
    return n;
  }, known);
}

const onNode = (link: string, node: ClusterNode) => {
  const url = new URL(link);
  const base = new URL(node.url);
  url.protocol = base.protocol;
  url.host = base.host;
  return url.toString();
};

describe('one lecture across an origin and two edges (Chromium, Redis)', () => {
  // Each node on a media port of its own (RTC_PORT): each page's ICE pair must point at it.
  const cluster = useCluster({ baku: { NODE_REGION: 'baku' }, ganja: { NODE_REGION: 'ganja' }, sheki: { NODE_REGION: 'sheki' } }, { ownMediaPort: true });
  let browser: Browser | undefined;
  let nodes: ClusterNode[] = [];
  const ports = { baku: 0, ganja: 0, sheki: 0 };
  let pages: { trainer: Page; site: Page; attendee: Page } | undefined;

  beforeAll(async () => {
    nodes = Object.values(cluster.nodes);
    for (const node of nodes) ports[node.id as keyof typeof ports] = node.mediaPort;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the classroom on edge A and the attendee on edge B play the lecture from their own node', async () => {
    const [baku, ganja, sheki] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    onTestFailed(() => {
      for (const node of nodes) {
        const lines = node.log.split('\n').filter((l) => /cascade|"level":(40|50|60)/.test(l));
        process.stderr.write(`--- ${node.id} ---\n${lines.slice(-40).join('\n')}\n`);
      }
    });
    const { links } = await createTestLectureOn(baku, { sites: ['Ganja'] });

    const trainer = await newPage(browser!, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const site = await newPage(browser!, 'site');
    await site.goto(onNode(links.sites[0]!.url, ganja));
    const attendee = await newPage(browser!, 'Leyla');
    await attendee.goto(onNode(links.attendee, sheki));
    await attendee.getByTestId('display-name').fill('Leyla');
    await attendee.getByTestId('join').click();

    for (const [page, node] of [[site, ganja], [attendee, sheki]] as const) {
      onTestFailed(async () => {
        await screenshot(page, `cluster-failed-${node.id}`);
        process.stderr.write(`--- ${node.id} page ---\n${JSON.stringify(await received(page).catch(String))}\n`);
      });
      // The page's receiver decodes the studio's picture and receives its sound, both growing.
      await expect.poll(async () => (await received(page)).keyFrames, { timeout: 40_000 }).toBeGreaterThan(0);
      const first = await received(page);
      await expect.poll(async () => (await received(page)).frames, { timeout: 30_000 }).toBeGreaterThan(first.frames + 25);
      await expect.poll(async () => (await received(page)).audioPackets, { timeout: 30_000 }).toBeGreaterThan(first.audioPackets + 50);
      expect((await received(page)).width).toBeGreaterThan(0);
      await expect.poll(() => selectedRemotePort(page), { timeout: 20_000 }).toBe(ports[node.id as keyof typeof ports]);
    }
    // The kiosk on edge A knows the trainer (its join answer, from the origin's room) and shows the lecture.
    const knows = await site.evaluate(() => {
      const state = (window as unknown as { teleclass?: { session: { state: { peers: { role: string }[] } } } }).teleclass?.session.state;
      return state?.peers.map((p) => p.role) ?? [];
    });
    expect(knows).toContain('trainer');
    await expectVideoPlays(site, 'lecture-video');
    expect(await site.getByTestId('trainer-gone').count()).toBe(0);
    await screenshot(site, 'cluster-1-site-on-edge-a');
    await screenshot(attendee, 'cluster-2-attendee-on-edge-b');

    // Each edge pulled from the origin, which serves one link per edge (a link that failed under
    // load and was made again counts once: the nodes that linked are the two edges).
    expect(ganja.log).toContain('cascade: linked to the upstream node');
    expect(sheki.log).toContain('cascade: linked to the upstream node');
    const linked = baku.log.split('\n').filter((l) => l.includes('cascade: a downstream node linked')).map((l) => /"node":"([^"]+)"/.exec(l)?.[1]);
    expect(new Set(linked)).toEqual(new Set(['ganja', 'sheki']));
    pages = { trainer, site, attendee };
  }, 180_000);

  it('the floor given on the origin to the classroom on edge A is heard by the attendee on edge B', async () => {
    const [baku, ganja, sheki] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const { site, attendee, trainer } = pages!;
    onTestFailed(async () => {
      await screenshot(site, 'cluster-floor-failed-site');
      await screenshot(attendee, 'cluster-floor-failed-attendee');
      await screenshot(trainer, 'cluster-floor-failed-trainer');
      for (const node of [baku, ganja, sheki]) {
        const lines = node.log.split('\n').filter((l) => /cluster-room|cascade|"level":(40|50|60)/.test(l));
        process.stderr.write(`--- ${node.id} ---\n${lines.slice(-30).join('\n')}\n`);
      }
    });
    const classroomId = await site.evaluate(() => (window as unknown as { teleclass?: { session: { state: { self: { id: string } | null } } } }).teleclass?.session.state.self?.id);
    expect(classroomId).toBeTruthy();

    // The classroom on edge A raises its hand; the trainer on the origin sees it and gives the floor.
    const hand = site.getByTestId('raise-hand');
    await hand.click();
    await expect.poll(() => hand.textContent(), { timeout: 10_000 }).toContain('Lower hand');
    const queued = trainer.getByTestId('hand-queue').getByTestId('hand-Ganja');
    await queued.waitFor({ timeout: 10_000 });
    const given = Date.now();
    await queued.getByTestId('give-floor').click();
    await waitForTestId(site, 'on-air');

    // The attendee on edge B decodes the classroom's microphone: samples and energy of that track rising.
    const heard = () =>
      attendee.evaluate(async (peerId) => {
        const hook = (window as unknown as { teleclass?: { session: { state: { remote: { audio: { peerId: string; track: MediaStreamTrack }[] } } }; stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
        const track = hook?.session.state.remote.audio.find((a) => a.peerId === peerId)?.track.id;
        if (!hook || !track) return { samples: 0, energy: 0 };
        const s = (await hook.stats()).find((x) => x['type'] === 'inbound-rtp' && x['kind'] === 'audio' && x['trackIdentifier'] === track);
        return { samples: Number(s?.['totalSamplesReceived'] ?? 0), energy: Number(s?.['totalAudioEnergy'] ?? 0) };
      }, classroomId);
    // 2 s on a quiet machine; 10 s with six busy loops beside it (the kiosk's send transport and
    // producers 5 s, the push up and the pull down 5 s), more if an edge links again meanwhile.
    await expect.poll(async () => (await heard()).energy, { timeout: 45_000, interval: 100 }).toBeGreaterThan(0);
    const firstHeard = Date.now();
    const first = await heard();
    console.log(`[cluster] floor given on the origin → the classroom's sound decoded on edge B after ${((firstHeard - given) / 1000).toFixed(2)} s`);
    await expect.poll(async () => (await heard()).samples, { timeout: 20_000 }).toBeGreaterThan(first.samples + 48_000);
    await expect.poll(async () => (await heard()).energy, { timeout: 20_000 }).toBeGreaterThan(first.energy);
    await screenshot(attendee, 'cluster-3-attendee-hears-edge-a');

    // The floor taken back: the kiosk goes off air, and plays the lecture on.
    await trainer.getByTestId('take-floor-Ganja').click();
    await waitForTestId(site, 'on-air', true);
    expect(await site.getByTestId('trainer-gone').count()).toBe(0);
  }, 120_000);

  it('the origin killed: the trainer\'s page sends again from another node, which becomes the origin, and both edges\' viewers get the new streams', async () => {
    const [baku, ganja, sheki] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const { site, attendee, trainer } = pages!;
    onTestFailed(async () => {
      await screenshot(trainer, 'cluster-origin-failed-trainer');
      const t = await trainer.evaluate(() => {
        const st = (window as unknown as { teleclass?: { session: { state: Record<string, unknown> } } }).teleclass?.session.state;
        return { connection: st?.['connection'], publishing: st?.['publishing'], reconnecting: st?.['reconnecting'], self: st?.['self'] };
      }).catch(String);
      process.stderr.write(`--- trainer ---\n${JSON.stringify(t)}\n`);
      for (const node of [ganja, sheki]) {
        const lines = node.log.split('\n').filter((l) => /cascade|origin|"level":(50|60)/.test(l));
        process.stderr.write(`--- ${node.id} ---\n${lines.slice(-30).join('\n')}\n`);
      }
      const video = await attendee.evaluate(async () => {
        const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
        return ((await hook?.stats()) ?? []).filter((s) => s['type'] === 'inbound-rtp' && s['kind'] === 'video');
      });
      // One line per track (the probe's too), the figures that tell a frozen stream from a flowing one.
      const keys = ['mid', 'trackIdentifier', 'packetsReceived', 'framesDecoded', 'keyFramesDecoded', 'pliCount', 'frameWidth', 'lastPacketReceivedTimestamp'];
      const lines = video.map((v) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, v[k]]))));
      process.stderr.write(`--- sheki video (at ${Date.now()}) ---\n${lines.join('\n')}\n`);
    });
    await baku.kill();
    const killedAt = Date.now();
    // Both pages' video tracks as the origin died, read before waiting on either: edge B's new
    // stream may well start while edge A's is awaited, and a key-frame count read after that
    // would wait for another key frame that nothing asks for (the picture flowing, the browser
    // sends no PLI). The new streams are the tracks that were not there then.
    const asKilled = new Map([
      [site, await videoTracks(site)],
      [attendee, await videoTracks(attendee)],
    ]);
    for (const [page, node] of [[site, ganja], [attendee, sheki]] as const) {
      onTestFailed(async () => {
        await screenshot(page, `cluster-origin-failed-${node.id}`);
        process.stderr.write(`--- ${node.id} page after the origin died ---\n${JSON.stringify(await received(page).catch(String))}\n`);
      });
      // New streams: key frames decoded again and the picture moving on.
      const known = asKilled.get(page)!;
      await expect.poll(() => keyFramesBeyond(page, known), { timeout: 40_000 }).toBeGreaterThan(0);
      const again = await received(page);
      await expect.poll(async () => (await received(page)).frames, { timeout: 30_000 }).toBeGreaterThan(again.frames + 25);
      console.log(`[cluster] origin killed → ${node.id}'s viewer decodes the new streams after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
      expect(await selectedRemotePort(page)).toBe(ports[node.id as keyof typeof ports]);
    }
    const newOrigin = [ganja, sheki].find((n) => n.log.includes('a downstream node linked'));
    console.log(`[cluster] origin killed → both edges play the trainer's new streams after ${((Date.now() - killedAt) / 1000).toFixed(1)} s (new origin: ${newOrigin?.id ?? '?'})`);
    // How long each stream pulled after the kill waited for its first key frame (the cascade's part of the figure).
    for (const node of [ganja, sheki]) {
      for (const line of node.log.split('\n').filter((l) => l.includes('key frame of a pulled stream'))) console.log(`[cluster] ${node.id}: ${line.slice(0, 300)}`);
    }
    expect(newOrigin).toBeDefined();
  }, 180_000);
});
