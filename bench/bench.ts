// The benchmark: viewers added in steps to Teleclass, then the same steps to bare mediasoup,
// each measured over a window; figures, the Teleclass / bare ratios, a table and a JSON file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CpuMeter } from './cpu.js';
import { STEP_HEADER, stepRow } from './format.js';
import type { Counters } from './counter.js';
import { SRTP_SUITE, type Target } from './target.js';
import { joinTimes, joinViewers, noteFirstSeen, rssKb, startHarness, windowLoss, type Joined } from './window.js';
import type { WebRtcSample } from './webrtc.js';
import { BENCH_DIR, defaultOptions, percentile, stepsUpTo, type BenchOptions, type BenchResult, type HarnessCpu, type Limit, type StepFigures, type Summary, type TargetFigures } from './options.js';

export { formatSteps, formatTable } from './format.js';
export type { WebRtcSample } from './webrtc.js';
export * from './options.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

async function cpuMs(target: Target): Promise<number[]> {
  return Promise.all(target.workers().map(async (w) => {
    const u = await w.getResourceUsage();
    return u.ru_utime + u.ru_stime;
  }));
}

/** Runs the steps against one target; stops on > 1 % loss, every worker ≥ 90 % CPU, or the last step. */
async function measureTarget(target: Target, probe: Counters, ffmpegPid: number | undefined, options: BenchOptions): Promise<TargetFigures> {
  const log = options.log;
  probe.start(target.ingest);
  const viewers: Joined[] = [];
  const steps: StepFigures[] = [];
  let stoppedBecause = `reached BENCH_MAX_VIEWERS=${options.maxViewers}`;
  let limit: Limit = 'max viewers';
  const pids = target.pids();
  const counterPids = probe.pids();
  const meterPids: Record<string, number | undefined> = { server: pids.server, loadgen: pids.loadgen, ffmpeg: ffmpegPid };
  counterPids.forEach((pid, i) => (meterPids[`counter${i}`] = pid));
  const harnessCpu = (m: ReturnType<CpuMeter['read']>): HarnessCpu => ({
    server: round(m.pct['server']!),
    loadgen: pids.loadgen === undefined ? null : round(m.pct['loadgen']!),
    counters: counterPids.map((_, i) => round(m.pct[`counter${i}`]!)),
    ffmpeg: round(m.pct['ffmpeg']!),
    machine: round(m.machinePct),
  });
  const joinMeter = new CpuMeter(meterPids);
  const windowMeter = new CpuMeter(meterPids);
  log(`  ${STEP_HEADER}`);
  await sleep(1000); // the studio's first packets reach the producers
  const baseRss = target.workers().map((w) => rssKb(w.pid));
  const firstSeen = new Map<number, number>(); // ssrc → first arrival (ns, as number)
  let prev = await probe.snapshot();

  for (const [stepIndex, count] of stepsUpTo(options.maxViewers).entries()) {
    // Join the step's new viewers, a few at a time.
    joinMeter.mark();
    const { failedJoins, failedJoinError } = await joinViewers(target, probe, viewers, count, stepIndex, options.concurrency, SRTP_SUITE);
    if (failedJoins > 0) throw new Error(`${failedJoins} joins failed at ${count} viewers: ${failedJoinError}`);
    const joinCpu = harnessCpu(joinMeter.read());
    await sleep(options.settleSeconds * 1000);

    const a = await probe.snapshot();
    const cpuA = await cpuMs(target);
    windowMeter.mark();
    const t0 = performance.now();
    await sleep(options.stepSeconds * 1000);
    const b = await probe.snapshot();
    const cpuB = await cpuMs(target);
    const elapsed = performance.now() - t0;
    const cpu = harnessCpu(windowMeter.read());
    prev = b;

    noteFirstSeen(firstSeen, b);
    const { lossPct, silentTracks } = windowLoss(viewers, a, b);
    const workerCpuPct = cpuB.map((v, i) => (100 * (v - (cpuA[i] ?? 0))) / elapsed);
    const viewersPerWorker = target.workers().map((_, i) => viewers.filter((v) => v.handle.workerIndex === i).length);
    const joins = joinTimes(viewers, firstSeen, stepIndex);
    const videoJoins = joinTimes(viewers, firstSeen, stepIndex, 'video');
    const rss = target.workers().map((w) => rssKb(w.pid));
    const rssDelta = rss.reduce((s, v, i) => s + v - (baseRss[i] ?? 0), 0);
    const fig: StepFigures = {
      viewers: viewers.length,
      lossPct: round(lossPct, 3),
      silentTracks,
      workerCpuPct: workerCpuPct.map((v) => round(v)),
      viewersPerWorker,
      joinMs: {
        p50: round(percentile(joins, 50)),
        p95: round(percentile(joins, 95)),
        firstVideoP50: round(percentile(videoJoins, 50)),
        firstVideoP95: round(percentile(videoJoins, 95)),
      },
      latencyMs: { p50: round(percentile(b.latencyMs, 50), 2), p99: round(percentile(b.latencyMs, 99), 2), samples: b.latencyMs.length },
      workerRssMb: rss.map((v) => round(v / 1024)),
      memoryPerViewerKb: round(rssDelta / viewers.length),
      cpu,
      joinCpu,
    };
    steps.push(fig);
    log(`  ${stepRow(fig)}`);
    const stop = stopReason(fig);
    if (stop) {
      ({ limit, because: stoppedBecause } = stop);
      break;
    }
  }
  void prev;
  for (const v of viewers) v.handle.close();
  let webrtc: WebRtcSample | null = null;
  if (target.attendeeUrl && options.webrtcSample > 0) {
    await sleep(1000); // the bulk viewers' leaving reaches the server
    log(`  WebRTC sample: ${options.webrtcSample} Chromium attendees, one at a time, bulk viewers closed`);
    try {
      const { measureWebRtcSample } = await import('./webrtc.js');
      webrtc = await measureWebRtcSample(target.attendeeUrl, options.webrtcSample, log);
    } catch (error) {
      // Chromium missing or not launching: the bulk figures stand; the sample is left out.
      log(`  WebRTC sample failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (webrtc) log(`  ${webrtc.label}: join → first RTP p50/p95 ${webrtc.joinToFirstRtpMs.p50}/${webrtc.joinToFirstRtpMs.p95} ms, → first decoded frame ${webrtc.joinToFirstFrameMs.p50}/${webrtc.joinToFirstFrameMs.p95} ms`);
  }
  return { target: target.name, steps, stoppedBecause, limit, summary: summarize(steps, options.workers), webrtc };
}

const SATURATED = 90;

/** Why the run stops after this step, if it does: loss first, then the SFU's workers, then the server, then the harness. */
function stopReason(s: StepFigures): { limit: Limit; because: string } | undefined {
  const at = `at ${s.viewers} viewers (machine ${s.cpu.machine} %)`;
  if (s.lossPct > 1 || s.silentTracks > 0)
    return { limit: 'loss', because: `loss ${s.lossPct} % (> 1 %)${s.silentTracks ? `, ${s.silentTracks} silent consumers` : ''} ${at}` };
  const worker = s.workerCpuPct.findIndex((v) => v >= SATURATED);
  if (worker >= 0) return { limit: 'worker CPU', because: `worker ${worker} at ${s.workerCpuPct[worker]} % CPU (≥ ${SATURATED} %) ${at}` };
  if (s.cpu.server >= SATURATED) return { limit: 'server CPU', because: `server process at ${s.cpu.server} % CPU (≥ ${SATURATED} %) ${at}` };
  const harness: [string, number | null][] = [['load generator', s.cpu.loadgen], ...s.cpu.counters.map((c, i): [string, number] => [`counter ${i}`, c])];
  const busy = harness.find(([, v]) => v !== null && v >= SATURATED);
  if (busy) return { limit: 'harness CPU', because: `${busy[0]} at ${busy[1]} % CPU (≥ ${SATURATED} %) ${at}` };
  return undefined;
}


function summarize(steps: StepFigures[], cores: number): Summary {
  const ok = steps.filter((s) => s.lossPct < 1 && s.silentTracks === 0);
  const best = ok.at(-1);
  const at = best ?? steps[0];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / (xs.length || 1);
  return {
    maxViewers: best?.viewers ?? 0,
    viewersPerCore: round((best?.viewers ?? 0) / cores),
    workerCpuPct: round(mean(at?.workerCpuPct ?? [])),
    joinP50Ms: at?.joinMs.p50 ?? NaN,
    joinP95Ms: at?.joinMs.p95 ?? NaN,
    latencyP50Ms: at?.latencyMs.p50 ?? NaN,
    latencyP99Ms: at?.latencyMs.p99 ?? NaN,
    memoryPerViewerKb: at?.memoryPerViewerKb ?? NaN,
  };
}

function machine(): BenchResult['machine'] {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const pkg = JSON.parse(readFileSync(path.join(BENCH_DIR, '..', 'server', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return { cpus: os.availableParallelism(), model, node: process.version, mediasoup: pkg.dependencies['mediasoup'] ?? '?' };
}

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<{ result: BenchResult; file: string }> {
  const options = { ...defaultOptions(), ...partial };
  const log = options.log;
  const harness = await startHarness(options.counters, log);
  const { probe, ffmpeg } = harness;
  log(`harness: probe ${harness.priority.probe}, ffmpeg ${harness.priority.ffmpeg}`);
  const results: TargetFigures[] = [];
  try {
    for (const name of options.targets) {
      log(`${name}: ${options.workers} workers, steps ${stepsUpTo(options.maxViewers).join(', ')}, ${options.stepSeconds} s each`);
      // Each target is loaded lazily so the bare run imports none of the server.
      const target = name === 'teleclass'
        ? await (await import('./teleclass.js')).startTeleclass(options.workers)
        : await (await import('./bare.js')).startBare(options.workers);
      try {
        const figures = await measureTarget(target, probe, ffmpeg.pid, options);
        log(`  stopped: ${figures.stoppedBecause}`);
        results.push(figures);
      } finally {
        await target.close();
      }
    }
  } finally {
    await harness.stop();
  }
  const tc = results.find((r) => r.target === 'teleclass')?.summary;
  const bare = results.find((r) => r.target === 'bare')?.summary;
  const ratio = tc && bare
    ? (Object.fromEntries(
        (Object.keys(tc) as (keyof Summary)[]).map((k) => [k, bare[k] && Number.isFinite(tc[k]) && Number.isFinite(bare[k]) ? round(tc[k] / bare[k], 2) : null]),
      ) as Record<keyof Summary, number | null>)
    : null;
  const { log: _log, resultsDir: _dir, ...kept } = options;
  const date = new Date().toISOString();
  const result: BenchResult = { date, machine: machine(), options: kept, results, ratio };
  mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return { result, file };
}
