// The benchmark: viewers added in steps to Teleclass, then the same steps to bare mediasoup,
// each measured over a window; figures, the Teleclass / bare ratios, a table and a JSON file.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClip, replayRtp } from './clip.js';
import type { ProbeMessage, ProbeRequest, SsrcStats } from './probe.js';
import type { Target, ViewerHandle } from './target.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface BenchOptions {
  maxViewers: number;
  stepSeconds: number;
  /** Seconds between the last join of a step and its measurement window (first keyframes). */
  settleSeconds: number;
  workers: number;
  targets: ('teleclass' | 'bare')[];
  resultsDir: string;
  /** Viewers joining at once within a step. */
  concurrency: number;
  log: (line: string) => void;
}

export interface StepFigures {
  viewers: number;
  lossPct: number;
  /** Tracks (consumers) that never got a packet. */
  silentTracks: number;
  workerCpuPct: number[];
  viewersPerWorker: number[];
  joinMs: { p50: number; p95: number; firstVideoP50: number; firstVideoP95: number };
  latencyMs: { p50: number; p99: number; samples: number };
  workerRssMb: number[];
  memoryPerViewerKb: number;
}

export interface TargetFigures {
  target: 'teleclass' | 'bare';
  steps: StepFigures[];
  stoppedBecause: string;
  summary: Summary;
}

export interface Summary {
  maxViewers: number;
  viewersPerCore: number;
  workerCpuPct: number;
  joinP50Ms: number;
  joinP95Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  memoryPerViewerKb: number;
}

export interface BenchResult {
  date: string;
  machine: { cpus: number; model: string; node: string; mediasoup: string };
  options: Omit<BenchOptions, 'log' | 'resultsDir'>;
  results: TargetFigures[];
  /** Teleclass / bare for every summary figure (null when one side is missing or 0). */
  ratio: Record<keyof Summary, number | null> | null;
}

export function defaultOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    maxViewers: num('BENCH_MAX_VIEWERS', 400),
    stepSeconds: num('BENCH_STEP_SECONDS', 10),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 2),
    workers: num('BENCH_WORKERS', os.availableParallelism()),
    targets: ['teleclass', 'bare'],
    resultsDir: path.join(BENCH_DIR, 'results'),
    concurrency: num('BENCH_CONCURRENCY', 4),
    log: (line) => console.log(line),
  };
}

/** 5, 10, 20, 40, … doubling, ending at `max`. */
export function stepsUpTo(max: number): number[] {
  const steps: number[] = [];
  for (let n = 5; n < max; n *= 2) steps.push(n);
  steps.push(max);
  return steps;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

class Probe {
  readonly #child: ChildProcess;
  #next = 0;
  ready!: Extract<ProbeMessage, { type: 'ready' }>;
  private constructor(child: ChildProcess) {
    this.#child = child;
  }
  static async start(): Promise<Probe> {
    const child = fork(path.join(BENCH_DIR, 'probe.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const probe = new Probe(child);
    const [msg] = (await once(child, 'message')) as [ProbeMessage];
    if (msg.type !== 'ready') throw new Error('probe did not start');
    probe.ready = msg;
    return probe;
  }
  send(m: ProbeRequest): void {
    this.#child.send(m);
  }
  snapshot(): Promise<Extract<ProbeMessage, { type: 'snapshot' }>> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      const on = (m: ProbeMessage) => {
        if (m.type === 'snapshot' && m.id === id) {
          this.#child.off('message', on);
          resolve(m);
        }
      };
      this.#child.on('message', on);
      this.send({ type: 'snapshot', id });
    });
  }
  async stop(): Promise<void> {
    if (!this.#child.connected) return;
    const exited = once(this.#child, 'exit');
    this.send({ type: 'stop' });
    await Promise.race([exited, sleep(2000)]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

async function cpuMs(target: Target): Promise<number[]> {
  return Promise.all(target.workers().map(async (w) => {
    const u = await w.getResourceUsage();
    return u.ru_utime + u.ru_stime;
  }));
}

interface Joined {
  handle: ViewerHandle;
  startNs: bigint;
  step: number;
}

/** Runs the steps against one target; stops on > 1 % loss, every worker ≥ 90 % CPU, or the last step. */
async function measureTarget(target: Target, probe: Probe, options: BenchOptions): Promise<TargetFigures> {
  const log = options.log;
  probe.send({ type: 'start', ingest: target.ingest });
  const viewers: Joined[] = [];
  const steps: StepFigures[] = [];
  let stoppedBecause = `reached BENCH_MAX_VIEWERS=${options.maxViewers}`;
  await sleep(1000); // the studio's first packets reach the producers
  const baseRss = target.workers().map((w) => rssKb(w.pid));
  const firstSeen = new Map<number, number>(); // ssrc → first arrival (ns, as number)
  let prev = await probe.snapshot();

  for (const [stepIndex, count] of stepsUpTo(options.maxViewers).entries()) {
    // Join the step's new viewers, a few at a time.
    let nextIndex = viewers.length;
    const worker = async () => {
      while (nextIndex < count) {
        const index = nextIndex++;
        const startNs = process.hrtime.bigint();
        const handle = await target.addViewer(index, probe.ready.counter, (ssrc, kind) => probe.send({ type: 'track', ssrc, kind }));
        viewers.push({ handle, startNs, step: stepIndex });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await sleep(options.settleSeconds * 1000);

    const a = await probe.snapshot();
    const cpuA = await cpuMs(target);
    const t0 = performance.now();
    await sleep(options.stepSeconds * 1000);
    const b = await probe.snapshot();
    const cpuB = await cpuMs(target);
    const elapsed = performance.now() - t0;
    prev = b;

    const aBy = new Map(a.ssrcs.map((s) => [s.ssrc, s]));
    const bBy = new Map(b.ssrcs.map((s) => [s.ssrc, s]));
    for (const s of b.ssrcs) if (!firstSeen.has(s.ssrc)) firstSeen.set(s.ssrc, Number(BigInt(s.firstArrivalNs)));
    const span = (s: SsrcStats) => s.maxExt - s.firstExt + 1;
    let expected = 0;
    let received = 0;
    let silentTracks = 0;
    for (const v of viewers) {
      for (const t of v.handle.tracks) {
        const sb = bBy.get(t.ssrc);
        const sa = aBy.get(t.ssrc);
        const relayedKind = (b.ingestKinds[t.kind] ?? 0) - (a.ingestKinds[t.kind] ?? 0);
        if (!sb) {
          silentTracks++;
          expected += relayedKind;
          continue;
        }
        expected += sa ? span(sb) - span(sa) : span(sb);
        received += sa ? sb.received - sa.received : sb.received;
      }
    }
    const lossPct = expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : 100;
    const workerCpuPct = cpuB.map((v, i) => (100 * (v - (cpuA[i] ?? 0))) / elapsed);
    const viewersPerWorker = target.workers().map((_, i) => viewers.filter((v) => v.handle.workerIndex === i).length);
    const join = (kind?: 'video') =>
      viewers
        .filter((v) => v.step === stepIndex)
        .map((v) => {
          const firsts = v.handle.tracks.filter((t) => !kind || t.kind === kind).map((t) => firstSeen.get(t.ssrc) ?? NaN);
          return (Math.min(...firsts) - Number(v.startNs)) / 1e6;
        })
        .filter(Number.isFinite);
    const joins = join();
    const videoJoins = join('video');
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
    };
    steps.push(fig);
    log(
      `  ${target.name} ${String(fig.viewers).padStart(4)} viewers: loss ${fig.lossPct} %, cpu ${fig.workerCpuPct.join('/')} %, ` +
        `per worker ${fig.viewersPerWorker.join('/')}, join p50 ${fig.joinMs.p50} ms, latency p50 ${fig.latencyMs.p50} ms p99 ${fig.latencyMs.p99} ms`,
    );
    if (lossPct > 1 || silentTracks > 0) {
      stoppedBecause = `loss ${round(lossPct, 2)} % (> 1 %)${silentTracks ? `, ${silentTracks} silent consumers` : ''} at ${fig.viewers} viewers`;
      break;
    }
    if (workerCpuPct.every((v) => v >= 90)) {
      stoppedBecause = `every worker ≥ 90 % CPU at ${fig.viewers} viewers`;
      break;
    }
  }
  void prev;
  for (const v of viewers) v.handle.close();
  return { target: target.name, steps, stoppedBecause, summary: summarize(steps, options.workers) };
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

const LABELS: Record<keyof Summary, string> = {
  maxViewers: 'viewers at < 1 % loss',
  viewersPerCore: 'viewers per core',
  workerCpuPct: 'worker CPU at that load (%)',
  joinP50Ms: 'join → first RTP p50 (ms)',
  joinP95Ms: 'join → first RTP p95 (ms)',
  latencyP50Ms: 'SFU latency p50 (ms)',
  latencyP99Ms: 'SFU latency p99 (ms)',
  memoryPerViewerKb: 'worker memory per viewer (KB)',
};

export function formatTable(result: BenchResult): string {
  const tc = result.results.find((r) => r.target === 'teleclass');
  const bare = result.results.find((r) => r.target === 'bare');
  const rows = (Object.keys(LABELS) as (keyof Summary)[]).map((k) => [
    LABELS[k],
    String(tc?.summary[k] ?? '-'),
    String(bare?.summary[k] ?? '-'),
    result.ratio?.[k] === null || result.ratio === null ? '-' : String(result.ratio[k]),
  ]);
  const extra = (r: TargetFigures | undefined) => {
    const at = r?.steps.find((s) => s.viewers === r.summary.maxViewers) ?? r?.steps[0];
    return at ? at.viewersPerWorker.join(' / ') : '-';
  };
  rows.push(['viewers per worker', extra(tc), extra(bare), '-']);
  const header = ['figure', 'Teleclass', 'bare mediasoup', 'Teleclass / bare'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<{ result: BenchResult; file: string }> {
  const options = { ...defaultOptions(), ...partial };
  const log = options.log;
  const clip = ensureClip(log);
  const probe = await Probe.start();
  const ffmpeg = replayRtp(clip, probe.ready.relay);
  const results: TargetFigures[] = [];
  try {
    for (const name of options.targets) {
      log(`${name}: ${options.workers} workers, steps ${stepsUpTo(options.maxViewers).join(', ')}, ${options.stepSeconds} s each`);
      // Each target is loaded lazily so the bare run imports none of the server.
      const target = name === 'teleclass'
        ? await (await import('./teleclass.js')).startTeleclass(options.workers)
        : await (await import('./bare.js')).startBare(options.workers);
      try {
        const figures = await measureTarget(target, probe, options);
        log(`  stopped: ${figures.stoppedBecause}`);
        results.push(figures);
      } finally {
        await target.close();
      }
    }
  } finally {
    ffmpeg.kill('SIGTERM');
    await probe.stop();
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
