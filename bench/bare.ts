// The baseline: bare mediasoup with none of our layers. The same worker binary (mediasoup is
// loaded through server/src/media/mediasoup.ts, which sets MEDIASOUP_WORKER_BIN), the same
// router codecs, one router per worker, the studio on router 0, each viewer on the router with
// the fewest consumers, fed by pipeToRouter (one pipe per producer and router), an SRTP
// PlainTransport per viewer.
import { mediasoup, type ms } from '../server/src/media/mediasoup.js';
import { MEDIA_CODECS } from '../server/src/media/codecs.js';
import { consumeAll, INGEST_RTP, srtpViewerTransport, type Target, type ViewerHandle } from './target.js';

export async function startBare(workerCount: number): Promise<Target> {
  const workers: ms.Worker[] = [];
  try {
    for (let i = 0; i < workerCount; i++) workers.push(await mediasoup.createWorker({ logLevel: 'error' }));
    const routers = await Promise.all(workers.map((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS })));
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
      async addViewer(_index, counter, track): Promise<ViewerHandle> {
        const i = load.indexOf(Math.min(...load));
        load[i] = (load[i] ?? 0) + producers.length;
        const router = routers[i]!;
        await pipeTo(i);
        const transport = await srtpViewerTransport(router, counter);
        const tracks = await consumeAll(transport, producers.map((p) => p.id), router.rtpCapabilities, track);
        return { workerIndex: i, tracks, close: () => transport.close() };
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
