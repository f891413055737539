// The media cascade between nodes, with real workers in one process standing for the nodes of a
// cluster (fixtures/cascadeNodes.ts): SRTP PipeTransports between them, the signed internal API
// over HTTPS on 127.0.0.1, pre-encoded clips replayed as the studio and a classroom.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/Store.js';
import { Senders, Viewer } from '../fixtures/cascadeMedia.js';
import { TestCluster, TestNode, type TestNodeOptions } from '../fixtures/cascadeNodes.js';
import { CAMERA_CLIP, ensureClip, TONE_CLIP } from '../fixtures/clips.js';
import { tempDir } from '../helpers.js';

const poll = { timeout: 20_000, interval: 50 };

describe('media cascade between nodes', () => {
  let store: Store;
  let cluster: TestCluster;
  const nodes: TestNode[] = [];
  const senders: Senders[] = [];
  const viewers: Viewer[] = [];

  beforeAll(() => {
    ensureClip(CAMERA_CLIP);
    ensureClip(TONE_CLIP());
  }, 120_000);

  const start = async (id: string, options?: TestNodeOptions) => {
    const node = await TestNode.start(cluster, id, store, options);
    nodes.push(node);
    return node;
  };
  const send = () => {
    const s = new Senders();
    senders.push(s);
    return s;
  };
  const view = async (...args: Parameters<typeof Viewer.open>) => {
    const v = await Viewer.open(...args);
    viewers.push(v);
    return v;
  };
  const lecture = async () => (await store.createLecture({ title: 'Cascade', scheduledStart: new Date().toISOString(), trainerName: 'Dr. Aliyev', sites: ['Ganja'] })).id;
  const producersOn = (node: TestNode, lectureId: string) => node.registry.get(lectureId)?.media.producers().map((p) => p.id).sort() ?? [];

  afterEach(async () => {
    for (const v of viewers.splice(0)) v.close();
    for (const s of senders.splice(0)) s.close();
    for (const n of nodes.splice(0).reverse()) await n.stop();
    await store?.close();
  });

  const fresh = async () => {
    store = await openStore(tempDir('cascade-store'));
    cluster = new TestCluster();
  };

  it('an edge pulls each producer once and fans it out to its viewers; a producer that closes at the origin closes on the edge with its consumers', async () => {
    await fresh();
    const baku = await start('baku');
    const ganja = await start('ganja');
    const id = await lecture();
    const origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const camera = await send().send(origin.media, 'trainer', 'camera');
    const mic = await send().send(origin.media, 'trainer', 'microphone');

    const edge = await ganja.registry.getOrCreate(id);
    await expect.poll(() => producersOn(ganja, id), poll).toEqual([camera, mic].sort());
    expect(edge.media.producerVia(camera)).toBe('baku');
    expect(edge.media.producers().find((p) => p.id === mic)).toMatchObject({ peerId: 'trainer', source: 'microphone', kind: 'audio' });

    const v1 = await view(edge.media, 'viewer-1', [camera, mic]);
    const v2 = await view(edge.media, 'viewer-2', [camera, mic]);
    await expect.poll(() => Math.min(v1.received(camera), v1.received(mic), v2.received(camera), v2.received(mic)), poll).toBeGreaterThan(30);

    // Two viewers, one pipe carrying each producer once; the origin serves one link.
    const out = await origin.media.pipes.traffic();
    expect(out).toMatchObject({ pipes: 1, streams: 2 });
    expect(out.bytesOut).toBeGreaterThan(10_000);
    expect(baku.cascade.servedLinks).toBe(1);
    expect(ganja.cascade.upstreamOf(id)).toBe('baku');

    origin.media.closeProducer('trainer', camera);
    await expect.poll(() => producersOn(ganja, id), poll).toEqual([mic]);
    await expect.poll(() => v1.closedConsumers.size + v2.closedConsumers.size, poll).toBe(2);
  });

  it('chains: Gazakh pulls from Ganja, Ganja pulls once from Baku; a loop is refused', async () => {
    await fresh();
    const baku = await start('baku');
    const ganja = await start('ganja');
    const gazakh = await start('gazakh', { upstream: 'ganja' });
    const id = await lecture();
    const origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const camera = await send().send(origin.media, 'trainer', 'camera');

    // Only Gazakh has viewers: Ganja opens the lecture to relay it.
    const far = await gazakh.registry.getOrCreate(id);
    await expect.poll(() => producersOn(gazakh, id), poll).toEqual([camera]);
    expect(gazakh.cascade.upstreamOf(id)).toBe('ganja');
    expect(ganja.cascade.upstreamOf(id)).toBe('baku');
    expect(baku.cascade.servedLinks).toBe(1);
    expect(ganja.cascade.servedLinks).toBe(1);
    const v = await view(far.media, 'viewer-far', [camera]);
    await expect.poll(() => v.received(camera), poll).toBeGreaterThan(30);

    // Ganja asking Gazakh (below it) to be its upstream would close a loop.
    const ganjaClient = new (await import('../../src/cluster/cascade/InternalClient.js')).InternalClient(
      'ganja', (await import('../../src/cluster/cascade/signing.js')).cascadeKey(cluster.secret), { ca: [cluster.tls.cert] },
    );
    const endpoint = { ip: '127.0.0.1', port: 9, srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: Buffer.alloc(44, 7).toString('base64') } };
    const { linkOpenedSchema } = await import('../../src/cluster/cascade/protocol.js');
    await expect(ganjaClient.call(gazakh.url, 'POST', '/internal/cascade/links', { lectureId: id, endpoint }, linkOpenedSchema)).rejects.toMatchObject({ code: 'LOOP' });

    // The last viewer leaves Gazakh: the chain winds down to Baku.
    far.media.closePeer('viewer-far');
    gazakh.registry.releaseIfEmpty(id);
    await expect.poll(() => baku.cascade.servedLinks + ganja.cascade.servedLinks, poll).toBe(0);
    expect(ganja.registry.get(id)).toBeUndefined();
  });

  it('a node whose NODE_UPSTREAM is down pulls from the origin itself', async () => {
    await fresh();
    const baku = await start('baku');
    const gazakh = await start('gazakh', { upstream: 'ganja' }); // Ganja is not running
    const id = await lecture();
    const origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const mic = await send().send(origin.media, 'trainer', 'microphone');
    const far = await gazakh.registry.getOrCreate(id);
    await expect.poll(() => producersOn(gazakh, id), poll).toEqual([mic]);
    expect(gazakh.cascade.upstreamOf(id)).toBe('baku');
    const v = await view(far.media, 'viewer', [mic]);
    await expect.poll(() => v.received(mic), poll).toBeGreaterThan(30);
  });

  it('a classroom on edge A given the floor reaches the origin and edge B; it closes everywhere when it stops', async () => {
    await fresh();
    const baku = await start('baku');
    const edgeA = await start('edge-a');
    const edgeB = await start('edge-b');
    const id = await lecture();
    const origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const a = await edgeA.registry.getOrCreate(id);
    const b = await edgeB.registry.getOrCreate(id);
    await expect.poll(() => edgeA.cascade.upstreamOf(id) !== undefined && edgeB.cascade.upstreamOf(id) !== undefined, poll).toBe(true);

    const classroomMic = await send().send(a.media, 'classroom-ganja', 'microphone');
    await expect.poll(() => producersOn(baku, id), poll).toEqual([classroomMic]);
    await expect.poll(() => producersOn(edgeB, id), poll).toEqual([classroomMic]);
    expect(origin.media.producerVia(classroomMic)).toBe('edge-a');
    expect(b.media.producerVia(classroomMic)).toBe('baku');
    expect(b.media.producers()[0]).toMatchObject({ peerId: 'classroom-ganja', source: 'microphone' });
    const attendee = await view(b.media, 'attendee-b', [classroomMic]);
    const trainer = await view(origin.media, 'trainer', [classroomMic]);
    await expect.poll(() => Math.min(attendee.received(classroomMic), trainer.received(classroomMic)), poll).toBeGreaterThan(30);
    // It does not come back to where it started.
    expect(producersOn(edgeA, id)).toEqual([classroomMic]);
    expect(a.media.producerVia(classroomMic)).toBeNull();

    a.media.closeProducersOf('classroom-ganja'); // the floor taken back
    await expect.poll(() => producersOn(baku, id).length + producersOn(edgeB, id).length, poll).toBe(0);
    await expect.poll(() => attendee.closedConsumers.size, poll).toBe(1);
  });

  it('the origin gone: the edge closes what it pulled (its viewers told), then pulls the new streams once the origin is back', async () => {
    await fresh();
    let baku = await start('baku');
    const ganja = await start('ganja');
    const id = await lecture();
    let origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const camera = await send().send(origin.media, 'trainer', 'camera');
    const edge = await ganja.registry.getOrCreate(id);
    await expect.poll(() => producersOn(ganja, id), poll).toEqual([camera]);
    const before = await view(edge.media, 'viewer', [camera]);
    await expect.poll(() => before.received(camera), poll).toBeGreaterThan(10);

    await baku.stop();
    nodes.splice(nodes.indexOf(baku), 1);
    await expect.poll(() => producersOn(ganja, id), poll).toEqual([]);
    await expect.poll(() => before.closedConsumers.size, poll).toBe(1);
    expect(edge.media.pipes.size).toBe(0);

    // The origin restarts and the trainer's page sends again: new producers reach the edge.
    baku = await start('baku');
    origin = await baku.registry.getOrCreate(id);
    const again = await send().send(origin.media, 'trainer', 'camera');
    await expect.poll(() => producersOn(ganja, id), poll).toEqual([again]);
    edge.media.closePeer('viewer');
    const after = await view(edge.media, 'viewer-2', [again]);
    await expect.poll(() => after.received(again), poll).toBeGreaterThan(10);
  });

  it('caps: links served per node, streams per pipe', async () => {
    await fresh();
    const baku = await start('baku', { maxLinks: 1, maxProducersPerPipe: 1 });
    const ganja = await start('ganja');
    const sheki = await start('sheki');
    const id = await lecture();
    const origin = await baku.registry.getOrCreate(id);
    cluster.origins.set(id, 'baku');
    const camera = await send().send(origin.media, 'trainer', 'camera');
    const mic = await send().send(origin.media, 'trainer', 'microphone');
    await ganja.registry.getOrCreate(id);
    await expect.poll(() => ganja.cascade.upstreamOf(id), poll).toBe('baku');
    await sheki.registry.getOrCreate(id);
    // Ganja's one pipe carries one of the two streams; Sheki is refused a second link.
    await expect.poll(() => producersOn(ganja, id).length, poll).toBe(1);
    expect([camera, mic]).toContain(producersOn(ganja, id)[0]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // retries of the refused link go on meanwhile
    expect(sheki.cascade.upstreamOf(id)).toBeUndefined();
    expect(baku.cascade.servedLinks).toBe(1);
  });
});
