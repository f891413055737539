// The baseline: bare mediasoup with none of our layers. The same worker binary (mediasoup is
// loaded through server/src/media/mediasoup.ts, which sets MEDIASOUP_WORKER_BIN), the same
// router codecs, one router per worker, the studio on router 0, each viewer on the router with
// the fewest consumers, fed by pipeToRouter (one pipe per producer and router), an SRTP
// PlainTransport per viewer.
//
// With `webrtcLeg` (the knee run, knee.ts), each viewer also gets what a bare mediasoup app gives
// a browser viewer and what every Teleclass bench viewer holds through its signaling: a
// WebRtcTransport on the worker's WebRtcServer and one consumer per producer on it, made paused
// and resumed (it never connects: no browser). So both sides hold the same mediasoup objects per
// viewer and the comparison is of our layers, not of the bench's shape.
import { mediasoup, type ms } from '../server/src/media/mediasoup.js';
import { MEDIA_CODECS } from '../server/src/media/codecs.js';
import { consumeAll, INGEST_RTP, SRTP_SUITE, srtpViewerTransport, type Target, type ViewerHandle } from './target.js';

export async function startBare(workerCount: number, options: { webrtcLeg?: boolean } = {}): Promise<Target> {
  const workers: ms.Worker[] = [];
  try {
    // mediasoup's default sends with io_uring where the kernel has it; MEDIASOUP_IO_URING=0 (the
    // `bare-nouring` arm) sends as Teleclass does by default (WorkerPool: disableLiburing).
    const disableLiburing = process.env['MEDIASOUP_IO_URING'] === '0';
    for (let i = 0; i < workerCount; i++) workers.push(await mediasoup.createWorker({ logLevel: 'error', disableLiburing }));
    const routers = await Promise.all(workers.map((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS })));
    const listen = { ip: '127.0.0.1' };
    const servers = options.webrtcLeg
      ? await Promise.all(workers.map((w) => w.createWebRtcServer({ listenInfos: [{ protocol: 'udp', ...listen }, { protocol: 'tcp', ...listen }] })))
      : [];
    const load = routers.map(() => 0);
    const home = routers[0]!;
    const ingest = await home.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const producers: ms.Producer[] = [];
    for (const kind of ['video', 'audio'] as const) producers.push(await ingest.produce({ kind, rtpParameters: INGEST_RTP[kind] }));
    const piped = new Map<number, Promise<unknown>>();
    const pipeTo = (i: number) => {
      if (i === 0) return Promise.resolve();
      let p = piped.get(i);
      if (!p) {
        p = (async () => {
          for (const producer of producers) await home.pipeToRouter({ producerId: producer.id, router: routers[i]! });
        })();
        piped.set(i, p);
      }
      return p;
    };
    return {
      name: 'bare',
      ingest: { ip: ingest.tuple.localAddress, port: ingest.tuple.localPort },
      workers: () => workers,
      // The control calls run in the bench's main process, as Teleclass's server does; there is
      // no signaling, so no load generator. The relay and counters are the same processes.
      pids: () => ({ server: process.pid }),
      async addViewer(_index, counter, sink, suite = SRTP_SUITE): Promise<ViewerHandle> {
        const i = load.indexOf(Math.min(...load));
        load[i] = (load[i] ?? 0) + producers.length;
        const router = routers[i]!;
        const t0 = performance.now();
        await pipeTo(i);
        const t1 = performance.now();
        let webrtc: ms.WebRtcTransport | undefined;
        if (options.webrtcLeg) {
          // As Teleclass's PeerMedia opens a viewer's receiving transport and consumes on it.
          webrtc = await router.createWebRtcTransport({ webRtcServer: servers[i]!, enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 1_000_000 });
          for (const producer of producers) {
            const consumer = await webrtc.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
            await consumer.resume();
          }
        }
        const t1b = performance.now();
        const { transport, keyBase64 } = await srtpViewerTransport(router, counter, suite);
        const tracks = await consumeAll({ transport, keyBase64, suite }, producers.map((p) => p.id), router.rtpCapabilities, sink);
        const phases: Record<string, number> = { pipe: t1 - t0 };
        if (webrtc) phases['WebRTC leg (transport, consume + resume)'] = t1b - t1;
        phases['counted leg (plain transport, consumes)'] = performance.now() - t1b;
        return {
          workerIndex: i,
          tracks,
          phases,
          close: () => {
            transport.close();
            webrtc?.close();
          },
        };
      },
      async close() {
        for (const w of workers) w.close();
      },
    };
  } catch (error) {
    for (const w of workers) w.close();
    throw error;
  }
}
