// The cluster run of `npm run bench`: one origin and two edge processes on this machine on a real
// Redis and a real PostgreSQL (started here, as the cluster tests do: every node's REDIS_URL and
// DATABASE_URL), the studio as a hardware encoder pushing a
// pre-encoded H.264 + AAC clip over RTMP to the origin (stream copy), and viewers' signaling
// clients spread over the two edges in steps. It reports what each edge costs the origin — bytes
// per second the origin sends into each edge's pipe and the origin's worker CPU — which must not
// grow with the viewers on the edges (one stream per producer per edge).
//
// The viewers are mediasoup-client FakeHandler sessions (as the single-node run's load
// generator): they join, open a receiving transport and consume the studio's sound on their edge
// (FakeHandler offers no H.264), so the edge pulls and holds consumers, but their WebRTC
// transports never connect; what edges send to viewers is the single-node run's subject, not
// this one's.
import { readFileSync } from 'node:fs';
import { InternalClient } from '../server/src/cluster/cascade/InternalClient.js';
import { cascadeKey } from '../server/src/cluster/cascade/signing.js';
import { z } from 'zod';
import { createTestLectureOn } from '../server/test/fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, CLUSTER_JWT_SECRET, ClusterNode, startClusterServices, startNodes } from '../server/test/fixtures/clusterNode.js';
import { ensureFeedClip, pushRtmp } from '../server/test/fixtures/feedClip.js';
import { TestPeer } from '../server/test/peer.js';
import { processCpuMs } from './cpu.js';

export interface ClusterStep {
  viewersPerEdge: number;
  /** Streams the origin sends into each edge's pipe. */
  streamsPerEdge: number;
  /** Bytes per second the origin sends into each edge's pipe (kbit/s). */
  originKbpsPerEdge: number[];
  /** The origin's mediasoup worker, % of one core. */
  originWorkerCpuPct: number;
  edgeWorkerCpuPct: number[];
}

export interface ClusterFigures {
  steps: ClusterStep[];
}

const statsSchema = z.object({
  servedLinks: z.number(),
  lectures: z.array(z.object({ lectureId: z.string(), upstream: z.string().nullable(), pipes: z.number(), streams: z.number(), bytesOut: z.number(), bytesIn: z.number() })),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (v: number) => Math.round(v * 10) / 10;

/** The mediasoup worker of a node process (its child). */
function workerPid(nodePid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${nodePid}/task/${nodePid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    return children.find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('mediasoup'));
  } catch {
    return undefined;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export function clusterSteps(env: NodeJS.ProcessEnv = process.env): number[] {
  const given = (env['BENCH_CLUSTER_VIEWERS'] ?? '1,10,40').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 1000);
  return given.length > 0 ? given : [1, 10, 40];
}

export async function runClusterBench(log: (line: string) => void, stepSeconds = 10, viewerSteps = clusterSteps()): Promise<ClusterFigures> {
  const services = await startClusterServices(); // Redis and PostgreSQL, as a cluster has
  const { shared } = services;
  const quiet = { MEDIASOUP_WORKERS: '1' }; // LOG_LEVEL stays info: the fixture waits for "Teleclass is listening"
  const nodes = [
    await ClusterNode.create('baku', shared, { ...quiet, NODE_REGION: 'baku' }),
    await ClusterNode.create('ganja', shared, { ...quiet, NODE_REGION: 'ganja' }),
    await ClusterNode.create('sheki', shared, { ...quiet, NODE_REGION: 'sheki' }),
  ];
  const [origin, ...edges] = nodes as [ClusterNode, ClusterNode, ClusterNode];
  const peers: TestPeer[] = [];
  let encoder: ReturnType<typeof pushRtmp> | undefined;
  try {
    await startNodes(nodes);
    const client = new InternalClient('bench', cascadeKey(CLUSTER_JWT_SECRET), { ca: [origin.certificate] });
    const stats = async (node: ClusterNode) => statsSchema.parse(await client.call(node.url, 'GET', '/internal/cascade/stats', undefined, statsSchema));
    const lecture = await createTestLectureOn(origin, { sites: ['Ganja'] });
    const id = lecture.lecture.id;
    const trainer = new TestPeer(origin.url, origin.certificate, lecture.trainer);
    peers.push(trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    const creds = await origin.request('POST', `/api/lectures/${id}/ingest`, { token: CLUSTER_ADMIN_TOKEN, body: {} });
    const { rtmp } = (creds.json as { credentials: { rtmp: { url: string; streamKey: string } } }).credentials;
    encoder = pushRtmp(ensureFeedClip(), `${rtmp.url}/${rtmp.streamKey}`, 3600);

    // One viewer per edge opens the lecture there; each edge then pulls the studio's two streams.
    const joined = new Map<ClusterNode, number>();
    const join = async (edge: ClusterNode, consume: boolean) => {
      const peer = new TestPeer(edge.url, edge.certificate, lecture.attendee);
      peers.push(peer);
      const answer = await peer.join(`Viewer ${peers.length}`);
      await peer.openRecv();
      // FakeHandler offers no H.264: the viewers consume the studio's sound, and hold its picture's place by joining.
      if (consume) for (const p of answer.producers) if (p.kind === 'audio') await peer.consume(p.id);
      joined.set(edge, (joined.get(edge) ?? 0) + 1);
    };
    for (const edge of edges) await join(edge, false);
    const pulled = async (edge: ClusterNode) => ((await stats(edge)).lectures.find((l) => l.lectureId === id)?.streams ?? 0) >= 2;
    await waitUntil(async () => (await pulled(edges[0])) && (await pulled(edges[1])), 60_000, 'both edges to pull the studio');

    const workers = nodes.map((n) => workerPid(n.pid!));
    const steps: ClusterStep[] = [];
    log(`cluster: origin + 2 edges (1 worker each) on one Redis and one PostgreSQL, studio over RTMP; viewers per edge ${viewerSteps.join(', ')}, ${stepSeconds} s each`);
    for (const perEdge of viewerSteps) {
      for (const edge of edges) while ((joined.get(edge) ?? 0) < perEdge) await join(edge, true);
      await sleep(2000);
      const cpuA = workers.map(processCpuMs);
      const t0 = performance.now();
      const edgeA = await Promise.all(edges.map(async (e) => (await stats(e)).lectures.find((l) => l.lectureId === id)!));
      await sleep(stepSeconds * 1000);
      const b = (await stats(origin)).lectures.find((l) => l.lectureId === id)!;
      const edgeB = await Promise.all(edges.map(async (e) => (await stats(e)).lectures.find((l) => l.lectureId === id)!));
      const cpuB = workers.map(processCpuMs);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuB.map((v, i) => round((100 * (v - cpuA[i]!)) / (seconds * 1000)));
      // What each edge received from its pipe is what the origin sent into it (one pipe per edge).
      const perEdgeKbps = edges.map((_, i) => round(((edgeB[i]!.bytesIn - edgeA[i]!.bytesIn) * 8) / seconds / 1000));
      const step: ClusterStep = {
        viewersPerEdge: perEdge,
        streamsPerEdge: b.streams / Math.max(1, b.pipes),
        originKbpsPerEdge: perEdgeKbps,
        originWorkerCpuPct: cpu[0]!,
        edgeWorkerCpuPct: cpu.slice(1),
      };
      steps.push(step);
      log(
        `  ${String(perEdge).padStart(4)} viewers/edge: origin → each edge ${step.originKbpsPerEdge.join(' / ')} kbit/s in ${step.streamsPerEdge} streams (origin pipes ${b.pipes}), ` +
          `origin worker ${step.originWorkerCpuPct} %, edge workers ${step.edgeWorkerCpuPct.join(' / ')} %`,
      );
    }
    return { steps };
  } finally {
    for (const p of peers) p.close();
    encoder?.kill('SIGKILL');
    for (const node of nodes) await node.kill();
    await services.stop();
  }
}
