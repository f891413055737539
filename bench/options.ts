// The benchmark's options (from BENCH_* variables), the shapes of its figures, and small helpers.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebRtcSample } from './webrtc.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * The Node arguments of a bench child process (a knee run, the load generator): tsx, and with
 * BENCH_PROF_DIR a V8 CPU profile written there when it exits.
 */
export function childExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env['BENCH_PROF_DIR'];
  return ['--import', 'tsx', ...(dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [])];
}

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
  /** Counter processes the viewers' media is spread over (shard 0 also relays the studio). */
  counters: number;
  /**
   * Chromium attendees joined one after another on the attendee link after the bulk steps, with
   * the bulk viewers closed (0: none). Teleclass only.
   */
  webrtcSample: number;
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
  /** CPU over the measurement window, % of one core (a single-threaded process saturates at 100). */
  cpu: HarnessCpu;
  /** CPU while the step's viewers joined (signaling), % of one core. */
  joinCpu: HarnessCpu;
}

export interface HarnessCpu {
  /** The process hosting the server under test (Teleclass) or the control calls (bare). */
  server: number;
  /** The viewers' signaling clients; null when the target has none (bare). */
  loadgen: number | null;
  /** Each counter process (shard 0 also relays the studio's RTP). */
  counters: number[];
  ffmpeg: number;
  /** The whole machine, % of all its cores. */
  machine: number;
}

export type Limit = 'loss' | 'worker CPU' | 'server CPU' | 'harness CPU' | 'max viewers';

export interface TargetFigures {
  target: 'teleclass' | 'bare';
  steps: StepFigures[];
  stoppedBecause: string;
  /** Which limit stopped the run. */
  limit: Limit;
  summary: Summary;
  /** Join figures of real WebRTC viewers (Chromium); null for bare mediasoup or a sample of 0. */
  webrtc: WebRtcSample | null;
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
  const count = (name: string, fallback: number) => {
    const v = Number(env[name] ?? '');
    return env[name] !== undefined && env[name] !== '' && Number.isInteger(v) && v >= 0 ? v : fallback;
  };
  return {
    maxViewers: num('BENCH_MAX_VIEWERS', 400),
    stepSeconds: num('BENCH_STEP_SECONDS', 10),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 2),
    workers: num('BENCH_WORKERS', os.availableParallelism()),
    targets: ['teleclass', 'bare'],
    resultsDir: path.join(BENCH_DIR, 'results'),
    concurrency: num('BENCH_CONCURRENCY', 4),
    counters: Math.round(num('BENCH_COUNTERS', 1)),
    webrtcSample: count('BENCH_WEBRTC_SAMPLE', 6),
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
