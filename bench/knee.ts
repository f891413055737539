// The knee benchmark: how many viewers ONE worker serves on ONE core, found the same way for
// Teleclass and for bare mediasoup, in the same run.
//  - The bench's own process (and so every process it forks: the server or bare's control calls,
//    the load generator, the counters, ffmpeg) is pinned to the harness cores; each run's one
//    mediasoup worker is moved alone to the worker core (BENCH_KNEE_CORE, default the last).
//  - Ramp: viewers join in steps of BENCH_KNEE_STEP (25), each step measured over
//    BENCH_KNEE_WINDOW_SECONDS (8), until a step loses more than 1 % (or BENCH_KNEE_MAX viewers).
//    The best step is the last one at ≤ 1 % loss with every consumer sending.
//  - Hold: a FRESH worker (a new process: kneeRun.ts) at the best step for BENCH_KNEE_HOLD_SECONDS
//    (65); if it loses more than 1 %, again one step lower, at most BENCH_KNEE_HOLDS (3) times.
//    The held count is the figure: `viewers per core (one pinned worker, held)`.
//  - Each loss is pinned on its cause from the kernel's per-socket drop counters (udpDrops.ts).
// The arms (BENCH_KNEE_ARMS): bare mediasoup on the worker linked to Debian's libsrtp2 (NSS),
// bare mediasoup on our worker (libsrtp on OpenSSL), and Teleclass on our worker. The ramps run
// one after another, then the holds, so a change of the machine's load during the run falls on
// every arm alike. Compare only within one run: the machine is shared.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './options.js';
import type { KneeRunMessage, KneeRunRequest, KneeStep } from './kneeRun.js';
import { SRTP_SUITE, type SrtpSuite } from './target.js';
import { RELAY_STALL_MS } from './udpDrops.js';

export type { KneeStep } from './kneeRun.js';

export type ArmName = 'bare-debian' | 'bare' | 'teleclass';

export interface KneeArm {
  name: ArmName;
  label: string;
  target: 'teleclass' | 'bare';
  /** The worker binary the arm's runs start (MEDIASOUP_WORKER_BIN of its processes). */
  workerBin: string;
  libsrtp: string;
}

export interface KneeOptions {
  step: number;
  maxViewers: number;
  windowSeconds: number;
  holdSeconds: number;
  settleSeconds: number;
  concurrency: number;
  counters: number;
  maxHolds: number;
  maxLossPct: number;
  /**
   * The SRTP suite of every counted viewer leg: the one Chromium negotiates with the worker over
   * DTLS (AEAD_AES_256_GCM: mediasoup's first choice, which Chromium offers; the WebRTC sample of
   * the fan-out run reads it back from getStats' transport `srtpCipher`).
   */
  suite: SrtpSuite;
  /** The worker's core; null: no pinning (one core). */
  workerCore: number | null;
  /**
   * The worker's nice value (BENCH_KNEE_WORKER_NICE, default -20; needs root, else unchanged): on
   * a machine shared with other work, pinning alone does not keep other processes off the
   * worker's core; a high priority makes them yield it (the scheduler moves them to the others).
   */
  workerNice: number | null;
  arms: KneeArm[];
  log: (line: string) => void;
}

export interface KneeArmResult {
  arm: Omit<KneeArm, 'workerBin'> & { workerBin: string };
  ramp: KneeStep[];
  /** The last ramp step at ≤ maxLossPct with every consumer sending (0: none). */
  rampBest: number;
  holds: (KneeStep & { passed: boolean })[];
  /** Viewers held for the hold window on one pinned worker (0: no hold passed). */
  held: number;
  workerAffinity: string;
  /** The nice value the worker ran at (null: unchanged). */
  workerNice: number | null;
  /** Runs that failed (e.g. the server could not start), with why: the figures stand without them. */
  errors: string[];
}

export interface KneeResult {
  date: string;
  machine: { cpus: number; model: string; loadAverageStart: number[]; loadAverageEnd: number[]; harnessCores: string; workerCore: number | null };
  options: Omit<KneeOptions, 'log' | 'arms'>;
  arms: KneeArmResult[];
  /** Teleclass / each bare arm: held viewers per core, and the figures at each arm's held step. */
  ratios: {
    versus: ArmName;
    viewersPerCore: number | null;
    /** Worker CPU per viewer at each arm's held step (what the worker itself costs, even when the harness limits). */
    workerCpuPerViewer: number | null;
    /** Worker CPU per delivered packet (the data path's cost, insensitive to drops and scheduling). */
    workerCpuPerPacket: number | null;
    joinP95: number | null;
    memoryPerViewer: number | null;
    latencyP99: number | null;
  }[];
}

const round = (v: number, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

/** The worker binaries: ours (libsrtp on OpenSSL) and the baseline on Debian's libsrtp2, built on demand. */
export function workerBinaries(buildBaseline: boolean, log: (line: string) => void): { ours: string; debian: string | null } {
  const script = path.join(BENCH_DIR, '..', 'scripts', 'mediasoup-worker', 'build.sh');
  const ours = execFileSync('bash', [script, '--print-path'], { encoding: 'utf8' }).trim();
  let debian = execFileSync('bash', [script, '--baseline', '--print-path'], { encoding: 'utf8' }).trim();
  if (!existsSync(debian) && buildBaseline) {
    log(`building the baseline worker (Debian's libsrtp2): ${debian}`);
    debian = execFileSync('nice', ['-n', '10', 'bash', script, '--baseline'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
  }
  return { ours, debian: existsSync(debian) ? debian : null };
}

export function defaultArms(bins: { ours: string; debian: string | null }, names?: readonly string[]): KneeArm[] {
  const all: KneeArm[] = [
    ...(bins.debian ? [{ name: 'bare-debian' as const, label: "bare mediasoup, Debian's libsrtp2 (NSS)", target: 'bare' as const, workerBin: bins.debian, libsrtp: 'Debian libsrtp2 2.5 (NSS)' }] : []),
    { name: 'bare', label: 'bare mediasoup, our worker', target: 'bare', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL' },
    { name: 'teleclass', label: 'Teleclass, our worker', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL' },
  ];
  return names ? all.filter((a) => names.includes(a.name)) : all;
}

export function defaultKneeOptions(env: NodeJS.ProcessEnv = process.env): Omit<KneeOptions, 'arms'> {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const cpus = os.availableParallelism();
  const core = env['BENCH_KNEE_CORE'];
  return {
    step: Math.round(num('BENCH_KNEE_STEP', 25)),
    maxViewers: Math.round(num('BENCH_KNEE_MAX', 400)),
    windowSeconds: num('BENCH_KNEE_WINDOW_SECONDS', 8),
    holdSeconds: num('BENCH_KNEE_HOLD_SECONDS', 65),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 2),
    concurrency: Math.round(num('BENCH_CONCURRENCY', 4)),
    counters: Math.round(num('BENCH_COUNTERS', 2)),
    maxHolds: Math.round(num('BENCH_KNEE_HOLDS', 3)),
    maxLossPct: 1,
    suite: (env['BENCH_SRTP_SUITE'] as SrtpSuite | undefined) ?? SRTP_SUITE,
    workerCore: cpus < 2 ? null : core !== undefined && core !== '' ? Number(core) : cpus - 1,
    workerNice: env['BENCH_KNEE_WORKER_NICE'] === '' ? null : Number.isInteger(Number(env['BENCH_KNEE_WORKER_NICE'] ?? -20)) ? Number(env['BENCH_KNEE_WORKER_NICE'] ?? -20) : -20,
    log: (line) => console.log(line),
  };
}

/** One run of one arm in a fresh process: its steps as they come. */
async function runOnce(arm: KneeArm, steps: number[], windowSeconds: number, o: Omit<KneeOptions, 'arms'>, onStep: (s: KneeStep) => void): Promise<{ affinity: string; nice: number | null }> {
  const child = fork(path.join(BENCH_DIR, 'kneeRun.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MEDIASOUP_WORKER_BIN: arm.workerBin },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const req: KneeRunRequest = {
    type: 'run',
    target: arm.target,
    steps,
    windowSeconds,
    settleSeconds: o.settleSeconds,
    concurrency: o.concurrency,
    counters: o.counters,
    workerCore: o.workerCore,
    workerNice: o.workerNice,
    suite: o.suite,
    maxLossPct: o.maxLossPct,
  };
  try {
    return await new Promise<{ affinity: string; nice: number | null }>((resolve, reject) => {
      let done: { affinity: string; nice: number | null } | undefined;
      child.on('message', (m: KneeRunMessage) => {
        if (m.type === 'step') onStep(m.step);
        else if (m.type === 'done') done = { affinity: m.workerAffinity, nice: m.workerNice };
        else reject(new Error(`${arm.label}: ${m.message}`));
      });
      child.on('exit', (code) => (done ? resolve(done) : reject(new Error(`${arm.label}: the run exited (${code}) before it finished`))));
      child.send(req);
    });
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
}

const passed = (s: KneeStep, o: { maxLossPct: number }) => s.lossPct <= o.maxLossPct && s.silentTracks === 0 && s.failedJoins === 0;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

function stepLine(s: KneeStep): string {
  const phases = Object.entries(s.phasesMs).map(([k, v]) => `${k} ${v.p50}/${v.p95}`).join(', ');
  return [
    `${String(s.viewers).padStart(4)} viewers`,
    `loss ${s.lossPct} %`,
    `worker ${s.workerCpuPct} % (${s.workerCpuUsPerPacket} µs/packet)`,
    `harness ${s.harnessCpuPct.server}/${s.harnessCpuPct.loadgen ?? '-'}/${s.harnessCpuPct.counters.join('+')}/${s.harnessCpuPct.ffmpeg} %`,
    `drops in ${s.drops.workerInput}, rx ${s.drops.receivers}, relay ${s.drops.relay} (relay max gap ${s.relayMaxGapMs} ms)`,
    `join p50/p95 ${s.joinMs.p50}/${s.joinMs.p95} ms`,
    `latency p50/p99 ${s.latencyMs.p50}/${s.latencyMs.p99} ms`,
    `${s.memoryPerViewerKb} KB/viewer`,
    `load ${s.loadAverage[0]}`,
  ].join(' · ') + (phases ? `\n          phases p50/p95 ms: ${phases}` : '') + (s.cause ? `\n          cause: ${s.cause}` : '');
}

export async function runKnee(arms: KneeArm[], o: Omit<KneeOptions, 'arms'>): Promise<KneeResult> {
  const cpus = os.availableParallelism();
  const harnessCores = o.workerCore === null ? 'all' : Array.from({ length: cpus }, (_, i) => i).filter((i) => i !== o.workerCore).join(',');
  const affinity = () => execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' }).trim().split(':').pop()!.trim();
  const ownCores = affinity();
  if (o.workerCore !== null) {
    // Everything forked from here on inherits the harness cores; each worker is then moved alone.
    execFileSync('taskset', ['-a', '-cp', harnessCores, String(process.pid)], { stdio: 'ignore' });
  }
  try {
    return await measureArms(arms, o, harnessCores);
  } finally {
    if (o.workerCore !== null) execFileSync('taskset', ['-a', '-cp', ownCores, String(process.pid)], { stdio: 'ignore' });
  }
}

async function measureArms(arms: KneeArm[], o: Omit<KneeOptions, 'arms'>, harnessCores: string): Promise<KneeResult> {
  const log = o.log;
  const cpus = os.availableParallelism();
  const loadAverageStart = os.loadavg().map((v) => round(v));
  log(`knee: one worker pinned to core ${o.workerCore ?? '(none)'} at nice ${o.workerNice ?? '(unchanged)'}, harness on ${harnessCores}; SRTP ${o.suite}; load average ${loadAverageStart.join(' ')}`);
  const results: KneeArmResult[] = arms.map((arm) => ({ arm, ramp: [], rampBest: 0, holds: [], held: 0, workerAffinity: '', workerNice: null, errors: [] }));

  const steps: number[] = [];
  for (let n = o.step; n <= o.maxViewers; n += o.step) steps.push(n);
  for (const r of results) {
    log(`${r.arm.label}: ramp ${steps[0]}, ${steps[1] ?? ''}… by ${o.step}, ${o.windowSeconds} s a step`);
    try {
      ({ affinity: r.workerAffinity, nice: r.workerNice } = await runOnce(r.arm, steps, o.windowSeconds, o, (s) => {
        r.ramp.push(s);
        log(`  ramp ${stepLine(s)}`);
      }));
    } catch (error) {
      // The ramp ends at the failure; the steps before it stand.
      r.errors.push(`ramp: ${message(error)}`);
      log(`  ramp failed: ${message(error)}`);
    }
    r.rampBest = r.ramp.filter((s) => passed(s, o)).at(-1)?.viewers ?? 0;
    log(`  best ramp step: ${r.rampBest}`);
  }
  for (const r of results) {
    let at = r.rampBest;
    for (let attempt = 0; attempt < o.maxHolds && at > 0; attempt++, at -= o.step) {
      log(`${r.arm.label}: hold ${at} viewers for ${o.holdSeconds} s on a fresh worker`);
      let held: KneeStep | undefined;
      try {
        await runOnce(r.arm, [at], o.holdSeconds, o, (s) => (held = s));
      } catch (error) {
        r.errors.push(`hold ${at}: ${message(error)}`);
        log(`  hold failed: ${message(error)}`);
      }
      if (!held) continue;
      const ok = passed(held, o);
      r.holds.push({ ...held, passed: ok });
      log(`  hold ${stepLine(held)} → ${ok ? 'held' : 'not held'}`);
      if (ok) {
        r.held = at;
        break;
      }
    }
  }

  const tc = results.find((r) => r.arm.target === 'teleclass');
  // Ratios only of held steps: a failed step's figures describe the failure, not the SFU. CPU per
  // forwarded packet is the exception: it holds wherever the worker forwarded something.
  const heldStep = (r: KneeArmResult) => r.holds.find((h) => h.passed);
  const forwarding = (r: KneeArmResult) => {
    const s = figuresAt(r)?.step;
    return s && Number.isFinite(s.workerCpuUsPerPacket) && s.workerCpuPct > 0 ? s.workerCpuUsPerPacket : undefined;
  };
  const cpuPerViewer = (s: KneeStep | undefined) => (s ? s.workerCpuPct / s.viewers : undefined);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? round(a / b) : null);
  const ratios = tc
    ? results
        .filter((r) => r.arm.target === 'bare')
        .map((bare) => ({
          versus: bare.arm.name,
          viewersPerCore: ratio(tc.held, bare.held),
          workerCpuPerViewer: ratio(cpuPerViewer(heldStep(tc)), cpuPerViewer(heldStep(bare))),
          workerCpuPerPacket: ratio(forwarding(tc), forwarding(bare)),
          joinP95: ratio(heldStep(tc)?.joinMs.p95, heldStep(bare)?.joinMs.p95),
          memoryPerViewer: ratio(heldStep(tc)?.memoryPerViewerKb, heldStep(bare)?.memoryPerViewerKb),
          latencyP99: ratio(heldStep(tc)?.latencyMs.p99, heldStep(bare)?.latencyMs.p99),
        }))
    : [];
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const { log: _log, ...kept } = o;
  return {
    date: new Date().toISOString(),
    machine: { cpus, model, loadAverageStart, loadAverageEnd: os.loadavg().map((v) => round(v)), harnessCores, workerCore: o.workerCore },
    options: kept,
    arms: results.map((r) => ({ ...r, arm: { ...r.arm } })),
    ratios,
  };
}

/**
 * Where an arm's figures are read: its held step; when no hold passed, its last hold; when none
 * ran, its first ramp step (a loaded machine may fail even that: the figures still compare).
 */
export function figuresAt(r: KneeArmResult): { step: KneeStep; label: string } | undefined {
  const held = r.holds.find((h) => h.passed);
  if (held) return { step: held, label: `held ${held.viewers}` };
  const last = r.holds.at(-1);
  if (last) return { step: last, label: `hold ${last.viewers} (failed)` };
  const first = r.ramp[0];
  return first ? { step: first, label: `ramp ${first.viewers}${first.cause ? ' (failed)' : ''}` } : undefined;
}

/** The knee table: one column per arm, figures at each arm's held step, then the ratios. */
export function formatKnee(k: KneeResult): string {
  const at = (r: KneeArmResult) => figuresAt(r)?.step;
  const cell = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? '-' : String(v));
  const rows: [string, ...string[]][] = [
    ['viewers per core (one pinned worker, held)', ...k.arms.map((r) => String(r.held))],
    ['ramp: last step at ≤ 1 % loss', ...k.arms.map((r) => String(r.rampBest))],
    ['ramp: first failing step, cause', ...k.arms.map((r) => {
      const f = r.ramp.find((s) => s.cause);
      if (!f) return '-';
      const where = [
        f.failedJoins ? `${f.failedJoins} joins failed` : '',
        f.drops.workerInput ? 'worker input' : '',
        f.drops.receivers ? 'receivers' : '',
        f.drops.relay ? 'relay' : '',
        f.relayMaxGapMs > RELAY_STALL_MS ? `relay stalled ${Math.round(f.relayMaxGapMs)} ms` : '',
      ].filter(Boolean);
      return `${f.viewers}: ${f.lossPct} % (${where.join(', ') || 'no socket drops'})`;
    })],
    ['figures below measured at', ...k.arms.map((r) => figuresAt(r)?.label ?? '-')],
    ['loss %', ...k.arms.map((r) => cell(at(r)?.lossPct))],
    ['worker CPU %', ...k.arms.map((r) => cell(at(r)?.workerCpuPct))],
    ['worker CPU per forwarded packet (µs)', ...k.arms.map((r) => cell(at(r)?.workerCpuUsPerPacket))],
    ['worker CPU per viewer (% of a core)', ...k.arms.map((r) => (at(r) ? String(round(at(r)!.workerCpuPct / at(r)!.viewers, 3)) : '-'))],
    ['join → first RTP p50 / p95 (ms)', ...k.arms.map((r) => (at(r) ? `${at(r)!.joinMs.p50} / ${at(r)!.joinMs.p95}` : '-'))],
    ['SFU latency p50 / p99 (ms)', ...k.arms.map((r) => (at(r) ? `${at(r)!.latencyMs.p50} / ${at(r)!.latencyMs.p99}` : '-'))],
    ['p99 by join order, fifths (ms)', ...k.arms.map((r) => at(r)?.latencyByPosition.map((g) => g.p99Median).join(' / ') ?? '-')],
    ['worker memory per viewer (KB)', ...k.arms.map((r) => cell(at(r)?.memoryPerViewerKb))],
    ['load average (1 min)', ...k.arms.map((r) => cell(at(r)?.loadAverage[0]))],
  ];
  const header = ['figure', ...k.arms.map((r) => r.arm.label)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const ratioLines = k.ratios.map((r) => {
    const label = k.arms.find((a) => a.arm.name === r.versus)?.arm.label ?? r.versus;
    return `Teleclass / ${label}: viewers per core ${cell(r.viewersPerCore)}, worker CPU per viewer ${cell(r.workerCpuPerViewer)}, per packet ${cell(r.workerCpuPerPacket)}, join p95 ${cell(r.joinP95)}, memory per viewer ${cell(r.memoryPerViewer)}, latency p99 ${cell(r.latencyP99)}`;
  });
  return [
    `One worker pinned alone to core ${k.machine.workerCore ?? '-'} at nice ${k.arms[0]?.workerNice ?? 'unchanged'} (harness on ${k.machine.harnessCores}), SRTP ${k.options.suite}, holds of ${k.options.holdSeconds} s; load average ${k.machine.loadAverageStart.join(' ')} → ${k.machine.loadAverageEnd.join(' ')}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...ratioLines,
    ...libsrtpLine(k),
    ...k.arms.flatMap((r) => r.errors.map((e) => `${r.arm.label} failed: ${e}`)),
  ].join('\n');
}

/** The data path alone: bare mediasoup on our worker / on Debian's libsrtp2, CPU per forwarded packet. */
function libsrtpLine(k: KneeResult): string[] {
  const perPacket = (name: ArmName) => {
    const r = k.arms.find((a) => a.arm.name === name);
    const s = r ? figuresAt(r)?.step : undefined;
    return s && s.workerCpuPct > 0 && Number.isFinite(s.workerCpuUsPerPacket) ? s.workerCpuUsPerPacket : undefined;
  };
  const ours = perPacket('bare');
  const debian = perPacket('bare-debian');
  if (ours === undefined || debian === undefined) return [];
  return [`libsrtp on OpenSSL / Debian's libsrtp2 (bare mediasoup both): worker CPU per forwarded packet ${round(ours / debian)} (${ours} / ${debian} µs)`];
}

export function writeKnee(k: KneeResult, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `knee-${k.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(k, null, 2)}\n`);
  return file;
}

/** `npm run bench`'s knee part: all three arms (the baseline worker built first when missing), printed and written. */
export async function runKneeFromEnv(resultsDir: string, env: NodeJS.ProcessEnv = process.env): Promise<KneeResult> {
  const o = defaultKneeOptions(env);
  const bins = workerBinaries(true, o.log);
  const names = env['BENCH_KNEE_ARMS']?.split(',').map((x) => x.trim()).filter(Boolean);
  const k = await runKnee(defaultArms(bins, names), o);
  o.log(`\n${formatKnee(k)}`);
  o.log(`\nwritten to ${writeKnee(k, resultsDir)}`);
  return k;
}
