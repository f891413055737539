// One knee measurement (a ramp, or a hold at one viewer count), in a process of its own
// (child_process.fork from knee.ts) so each one starts a FRESH worker from the binary its
// MEDIASOUP_WORKER_BIN names, and the Teleclass server starts from nothing. The process inherits
// the harness cores from knee.ts; the one mediasoup worker is moved alone to the worker core
// (`taskset -a -cp`). Viewers join in steps; each step is measured over a window: loss (sequence
// gaps at the counters), where it was dropped (/proc/net/udp), CPU, join → first RTP and its
// phases, SFU latency (p99 per join-order group), worker memory per viewer.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CpuMeter, processCpuMs } from './cpu.js';
import { percentile } from './options.js';
import type { SrtpSuite, Target } from './target.js';
import { dropsBetween, lossCause, udpDropsByPort } from './udpDrops.js';
import { joinTimes, joinViewers, noteFirstSeen, rssKb, startHarness, windowLoss, type Joined } from './window.js';

export interface KneeRunRequest {
  type: 'run';
  target: 'teleclass' | 'bare';
  /** Viewer counts, ascending; a ramp stops after the first step that loses more than `maxLossPct`. */
  steps: number[];
  windowSeconds: number;
  settleSeconds: number;
  concurrency: number;
  counters: number;
  /** The core the worker gets alone; null: no pinning (a one-core machine). */
  workerCore: number | null;
  /** The worker's nice value (its threads'), e.g. -20 so other tenants of a shared machine yield its core; null: unchanged. */
  workerNice: number | null;
  suite: SrtpSuite;
  maxLossPct: number;
}

export type KneeRunMessage =
  | { type: 'step'; step: KneeStep }
  | { type: 'done'; workerPid: number; workerAffinity: string; workerNice: number | null }
  | { type: 'failed'; message: string };

export interface KneeStep {
  viewers: number;
  windowSeconds: number;
  lossPct: number;
  silentTracks: number;
  /** Viewers whose join failed (e.g. a signaling timeout on an overloaded machine), with the first error. */
  failedJoins: number;
  failedJoinError: string | null;
  /** Datagrams the kernel dropped in the window: at the worker's studio input, at the counters, at the relay. */
  drops: { workerInput: number; receivers: number; relay: number };
  /** The relay's longest pause in the window, ms: above ~100 ms the harness was starved and fed the worker in bursts. */
  relayMaxGapMs: number;
  /** The scheduling the probe (relay + counters) and ffmpeg ran at (SCHED_FIFO 10, nice -20 or unchanged). */
  harnessPriority: { probe: string; ffmpeg: string };
  /** Why packets were lost (null when the step passed). */
  cause: string | null;
  workerCpuPct: number;
  /**
   * Worker CPU per RTP packet it sent in the window (received by the counters + dropped at their
   * sockets), µs: the worker's cost per forwarded packet (encryption, send), which neither drops
   * nor the scheduler's share distort.
   */
  workerCpuUsPerPacket: number;
  /** % of one core over the window: the process hosting the server (or bare's calls), the load generator, counters, ffmpeg. */
  harnessCpuPct: { server: number; loadgen: number | null; counters: number[]; ffmpeg: number };
  machinePct: number;
  /** os.loadavg() at the end of the window: 1, 5, 15 min. */
  loadAverage: number[];
  /** Join → first RTP of the viewers that joined in this step. */
  joinMs: { p50: number; p95: number };
  /** Each of those joins, ms (0.1 ms), when asked (`BENCH_JOIN_SAMPLES=1`: the join bench pools its rounds). */
  joinSamplesMs?: number[];
  /** The same joins, phase by phase (p50 / p95 of each). */
  phasesMs: Record<string, { p50: number; p95: number }>;
  latencyMs: { p50: number; p99: number; samples: number };
  /** SFU latency p99 by join order: each group's median and worst per-viewer p99 (a viewer: the worst of its tracks). */
  latencyByPosition: { viewers: string; p99Median: number; p99Worst: number }[];
  workerRssMb: number;
  memoryPerViewerKb: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

function pin(pid: number, cores: string): string {
  execFileSync('taskset', ['-a', '-cp', cores, String(pid)], { stdio: 'ignore' });
  return execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' }).trim().split(':').pop()!.trim();
}

/** Sets the nice value of every thread of `pid` (setpriority acts per thread on Linux); the value it got, or null. */
function renice(pid: number, nice: number): number | null {
  try {
    const tids = readdirSync(`/proc/${pid}/task`);
    execFileSync('renice', ['-n', String(nice), '-p', ...tids], { stdio: 'ignore' });
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null; // not permitted (not root): the worker keeps its priority
  }
}

/**
 * With the kernel's autogroups (sched_autogroup_enabled, Debian's default), a nice value only
 * ranks threads within their session's group; between sessions the scheduler shares a core
 * equally per group, so on a machine shared by five engineers' sessions a nice -20 worker still
 * got about a fifth of its core (the 3–35 % of the earlier runs). The group's own nice
 * (/proc/<pid>/autogroup) is what ranks it against the other sessions: set for the run's
 * session (the worker's; the harness is in it too, on the other core) and restored after.
 * Returns the value to restore, or null when there is no autogroup or it was not permitted.
 */
function reniceAutogroup(pid: number, nice: number): number | null {
  try {
    const file = `/proc/${pid}/autogroup`;
    const before = Number(/nice\s+(-?\d+)/.exec(readFileSync(file, 'utf8'))?.[1]);
    if (!Number.isInteger(before)) return null;
    writeFileSync(file, String(nice));
    return before;
  } catch {
    return null;
  }
}

async function run(req: KneeRunRequest, send: (m: KneeRunMessage) => void): Promise<void> {
  const harness = await startHarness(req.counters);
  let restoreAutogroup = () => null as number | null;
  const { probe, ffmpeg } = harness;
  let target: Target | undefined;
  try {
    target = req.target === 'teleclass'
      ? await (await import('./teleclass.js')).startTeleclass(1)
      : await (await import('./bare.js')).startBare(1, { webrtcLeg: true });
    const worker = target.workers()[0]!;
    const workerAffinity = req.workerCore === null ? 'unpinned' : pin(worker.pid, String(req.workerCore));
    const workerNice = req.workerNice === null ? null : renice(worker.pid, req.workerNice);
    if (req.workerNice !== null) {
      const before = reniceAutogroup(worker.pid, req.workerNice);
      if (before !== null) restoreAutogroup = () => reniceAutogroup(process.pid, before);
    }
    probe.start(target.ingest);
    const pids = target.pids();
    const counterPids = probe.pids();
    const meterPids: Record<string, number | undefined> = { server: pids.server, loadgen: pids.loadgen, ffmpeg: ffmpeg.pid };
    counterPids.forEach((pid, i) => (meterPids[`counter${i}`] = pid));
    const meter = new CpuMeter(meterPids);
    const workerInputPorts = [target.ingest.port];
    const receiverPorts = probe.shards.map((s) => s.ready.counter.port);
    const relayPorts = [probe.relay.video, probe.relay.audio, probe.relay.rtcp];

    await sleep(1000); // the studio's first packets reach the producers
    const baseRss = rssKb(worker.pid);
    const viewers: Joined[] = [];
    const firstSeen = new Map<number, number>();

    for (const [stepIndex, count] of req.steps.entries()) {
      const { failedJoins, failedJoinError } = await joinViewers(target, probe, viewers, count, stepIndex, req.concurrency, req.suite);
      await sleep(req.settleSeconds * 1000);

      const a = await probe.snapshot();
      const dropsA = udpDropsByPort();
      const cpuA = processCpuMs(worker.pid);
      meter.mark();
      const t0 = performance.now();
      await sleep(req.windowSeconds * 1000);
      const b = await probe.snapshot();
      const dropsB = udpDropsByPort();
      const elapsed = performance.now() - t0;
      const cpuB = processCpuMs(worker.pid);
      const cpu = meter.read();

      noteFirstSeen(firstSeen, b);
      const { lossPct, received, silentTracks } = windowLoss(viewers, a, b);
      const drops = {
        workerInput: dropsBetween(dropsA, dropsB, workerInputPorts),
        receivers: dropsBetween(dropsA, dropsB, receiverPorts),
        relay: dropsBetween(dropsA, dropsB, relayPorts),
      };

      const joined = viewers.filter((v) => v.step === stepIndex);
      const joins = joinTimes(viewers, firstSeen, stepIndex);
      const phaseNames = [...new Set(joined.flatMap((v) => Object.keys(v.handle.phases ?? {})))];
      const phasesMs = Object.fromEntries(
        phaseNames.map((name) => {
          const xs = joined.map((v) => v.handle.phases?.[name] ?? NaN).filter(Number.isFinite);
          return [name, { p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) }];
        }),
      );
      // What the phases do not cover: from the viewer's legs set up to its first packet (the
      // server's steps, `server · …`, are inside the phases and not added).
      const firstPacketWait = joined
        .map((v) => {
          const join = joinTimes([v], firstSeen, stepIndex)[0] ?? NaN;
          // Legs that overlap (the load generator's local set-up beside the counted leg) end when the target says so.
          const legs =
            v.handle.legsDoneNs !== undefined
              ? Number(v.handle.legsDoneNs - v.startNs) / 1e6
              : Object.entries(v.handle.phases ?? {}).filter(([k]) => !k.startsWith('server')).reduce((sum, [, ms]) => sum + ms, 0);
          return join - legs;
        })
        .filter(Number.isFinite);
      if (phaseNames.length > 0) phasesMs['after the legs, until the first packet'] = { p50: round(percentile(firstPacketWait, 50)), p95: round(percentile(firstPacketWait, 95)) };

      // Per viewer: the worst p99 of its tracks; grouped by join order in fifths.
      const bySsrc = new Map(b.latencyBySsrc.map((l) => [l.ssrc, l]));
      const viewerP99 = [...viewers]
        .sort((x, y) => x.index - y.index)
        .map((v) => Math.max(...v.handle.tracks.map((t) => bySsrc.get(t.ssrc)?.p99 ?? NaN).filter(Number.isFinite)));
      const groups = Math.min(5, viewerP99.length);
      const latencyByPosition = Array.from({ length: groups }, (_, g) => {
        const from = Math.floor((g * viewerP99.length) / groups);
        const to = Math.floor(((g + 1) * viewerP99.length) / groups);
        const xs = viewerP99.slice(from, to).filter(Number.isFinite);
        return { viewers: `${from + 1}–${to}`, p99Median: round(percentile(xs, 50), 2), p99Worst: round(xs.length ? Math.max(...xs) : NaN, 2) };
      });

      const rss = rssKb(worker.pid);
      const step: KneeStep = {
        viewers: viewers.length,
        windowSeconds: round(elapsed / 1000, 2),
        lossPct: round(lossPct, 3),
        silentTracks,
        drops,
        relayMaxGapMs: round(b.relayMaxGapMs),
        failedJoins,
        failedJoinError,
        harnessPriority: harness.priority,
        cause: lossCause(lossPct, silentTracks, drops, req.maxLossPct, failedJoins, b.relayMaxGapMs),
        workerCpuPct: round((100 * (cpuB - cpuA)) / elapsed),
        workerCpuUsPerPacket: received + drops.receivers > 0 ? round((1000 * (cpuB - cpuA)) / (received + drops.receivers), 2) : NaN,
        harnessCpuPct: {
          server: round(cpu.pct['server']!),
          loadgen: pids.loadgen === undefined ? null : round(cpu.pct['loadgen']!),
          counters: counterPids.map((_, i) => round(cpu.pct[`counter${i}`]!)),
          ffmpeg: round(cpu.pct['ffmpeg']!),
        },
        machinePct: round(cpu.machinePct),
        loadAverage: os.loadavg().map((v) => round(v, 2)),
        joinMs: { p50: round(percentile(joins, 50)), p95: round(percentile(joins, 95)) },
        ...(process.env['BENCH_JOIN_SAMPLES'] === '1' && { joinSamplesMs: joins.map((v) => round(v)) }),
        phasesMs,
        latencyMs: { p50: round(percentile(b.latencyMs, 50), 2), p99: round(percentile(b.latencyMs, 99), 2), samples: b.latencyMs.length },
        latencyByPosition,
        workerRssMb: round(rss / 1024),
        memoryPerViewerKb: round((rss - baseRss) / viewers.length),
      };
      send({ type: 'step', step });
      if (step.cause) break;
    }
    for (const v of viewers) v.handle.close();
    send({ type: 'done', workerPid: worker.pid, workerAffinity, workerNice });
  } finally {
    restoreAutogroup();
    await target?.close();
    await harness.stop();
  }
}

// Only as knee.ts's child (not when imported for its types or by a test runner's worker).
if (process.send && process.argv[1] !== undefined && path.basename(process.argv[1]) === 'kneeRun.ts') {
  process.once('message', (req: KneeRunRequest) => {
    const send = (m: KneeRunMessage) => process.send!(m);
    run(req, send)
      .catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
      .finally(() => process.disconnect());
  });
}
