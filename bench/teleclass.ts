// The Teleclass target: the real server in this process (startServer, as the integration tests
// run it), a lecture made through the admin API, viewers through socket.io signaling.
//
// Media paths only the benchmark uses (nothing is added to server/src):
//  - studio: the trainer joins and opens its sending transport through signaling (the server
//    places it on the lecture's home worker); the bench then makes a comedia PlainTransport on
//    that same PeerMedia's router, registers it in the trainer's transports and calls the
//    server's own LectureMedia.produce() for camera and microphone (the producer bookkeeping,
//    `produceradded` notifications and active-speaker observer are the server's).
//  - viewers: each one joins with the attendee link, opens a recv transport, consumes and resumes
//    both producers through signaling (mediasoup-client FakeHandler: that WebRTC transport never
//    connects, so its consumers forward nothing). Media goes over an SRTP PlainTransport the
//    bench adds on the router the server placed the viewer on (pool.leastLoaded(), pipeToRouter
//    already done by the signaling consume), to the counter.
import { startServer, type RunningServer } from '../server/src/server.js';
import type { ms } from '../server/src/media/mediasoup.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { TestPeer } from '../server/test/peer.js';
import { consumeAll, INGEST_RTP, srtpViewerTransport, type Target, type ViewerHandle } from './target.js';

export async function startTeleclass(workers: number): Promise<Target> {
  const server: RunningServer = await startServer(testConfig({ MEDIASOUP_WORKERS: String(workers) }), testLogger());
  const peers: TestPeer[] = [];
  try {
    const lecture = await createTestLecture(server, { title: 'Benchmark lecture', sites: ['Ganja'] });
    const trainer = new TestPeer(server.url, server.certificate, lecture.trainer);
    peers.push(trainer);
    const joined = await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.request('createTransport', { direction: 'send' });
    const media = server.registry.getOrCreate(lecture.lecture.id).media;
    const studio = media.peer(joined.self.id);
    const plain = await studio.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
      appData: { peerId: joined.self.id, direction: 'send' },
    });
    studio.transports.set(plain.id, plain as unknown as ms.WebRtcTransport);
    for (const [kind, source] of [['video', 'camera'], ['audio', 'microphone']] as const) {
      await media.produce(joined.self.id, { transportId: plain.id, kind, source, rtpParameters: INGEST_RTP[kind] as never });
    }
    const producerIds = media.producers().map((p) => p.id);

    return {
      name: 'teleclass',
      ingest: { ip: plain.tuple.localAddress, port: plain.tuple.localPort },
      workers: () => server.pool.workers.map((w) => w.worker),
      async addViewer(index, counter, track): Promise<ViewerHandle> {
        const viewer = new TestPeer(server.url, server.certificate, lecture.attendee);
        peers.push(viewer);
        const answer = await viewer.join(`Viewer ${index}`);
        await viewer.openRecv();
        const ids = answer.producers.map((p) => p.id);
        if (ids.length !== 2) throw new Error(`expected the studio's 2 producers, got ${ids.length}`);
        for (const id of ids) await viewer.consume(id);
        const peer = media.peer(answer.self.id);
        const transport = await srtpViewerTransport(peer.router, counter);
        const tracks = await consumeAll(transport, producerIds, peer.rtpCapabilities!, track);
        return {
          workerIndex: peer.worker.index,
          tracks,
          close: () => {
            transport.close();
            viewer.close();
          },
        };
      },
      async close() {
        for (const p of peers) p.close();
        await server.close();
      },
    };
  } catch (error) {
    for (const p of peers) p.close();
    await server.close();
    throw error;
  }
}
