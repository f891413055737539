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
//  - Same-load hold: whichever of Teleclass and a bare arm held more is held again, on a fresh
//    worker, at the other's held count (BENCH_KNEE_EQUAL_HOLDS, 1), so that join time, latency,
//    CPU and memory also compare at one load, measured the same way (each hold's joins are a
//    storm onto a fresh worker: an arm that holds more joins more viewers, onto a fuller worker).
//  - Each loss is pinned on its cause from the kernel's per-socket drop counters (udpDrops.ts).
// The arms (BENCH_KNEE_ARMS): bare mediasoup on the worker linked to Debian's libsrtp2 (NSS),
// bare mediasoup on our worker (libsrtp on OpenSSL), and Teleclass on our worker. The ramps run
// one after another, then the holds, so a change of the machine's load during the run falls on
// every arm alike. Compare only within one run: the machine is shared.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, childExecArgv } from './options.js';
import type { KneeRunMessage, KneeRunRequest, KneeStep } from './kneeRun.js';
import { SRTP_SUITE, type SrtpSuite } from './target.js';
import { formatKnee, stepLine, writeKnee } from './kneeReport.js';
import { equalHoldPlan, kneeRatios } from './kneeRatios.js';

export type { KneeStep } from './kneeRun.js';
export { figuresAt, formatKnee, writeKnee } from './kneeReport.js';
export { equalHoldPlan, heldAt } from './kneeRatios.js';

export type ArmName =
  | 'bare-debian'
  | 'bare-debian-nofeedback'
  | 'bare-unpatched'
  | 'bare'
  | 'bare-nouring'
  | 'teleclass'
  | 'teleclass-nofeedback'
  | 'teleclass-paused'
  | 'teleclass-before'
  | 'teleclass-connect'
  | 'teleclass-unprepared'
  | 'teleclass-uring';

export interface KneeArm {
  name: ArmName;
  label: string;
  target: 'teleclass' | 'bare';
  /** The worker binary the arm's runs start (MEDIASOUP_WORKER_BIN of its processes). */
  workerBin: string;
  libsrtp: string;
  /** Environment of the arm's processes (e.g. the load generator's protocol). */
  env?: Record<string, string>;
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
  /** After the holds, hold the arm that held more again at the other's held count (see the top). */
  equalHolds: boolean;
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
  /** Holds at another arm's (lower) held count, on a fresh worker: the same load as that arm's held step. */
  equalHolds: (KneeStep & { passed: boolean })[];
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
    /**
     * The same figures at the same load: the ramp step both arms passed at the lower of their held
     * counts (each arm's held step puts Teleclass, holding more, nearer its own limit). Null when
     * either arm held nothing or the ramp step is missing.
     */
    equalLoad: { viewers: number; latencyP99: number | null; joinP95: number | null; workerCpuPerViewer: number | null } | null;
    /**
     * The same figures at the same held load: the arm that held more, held again on a fresh
     * worker at the other's held count (`equalHolds`), against the other's held step. Null when
     * either held nothing, or the extra hold did not run or did not pass.
     */
    equalHold: { viewers: number; joinP95: number | null; latencyP99: number | null; workerCpuPerViewer: number | null; memoryPerViewer: number | null } | null;
  }[];
}

const round = (v: number, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

/** The worker binaries: ours (libsrtp on OpenSSL) and the baseline on Debian's libsrtp2, built on demand. */
export function workerBinaries(buildBaseline: boolean, log: (line: string) => void): { ours: string; debian: string | null; unpatched: string | null } {
  const script = path.join(BENCH_DIR, '..', 'scripts', 'mediasoup-worker', 'build.sh');
  const ours = execFileSync('bash', [script, '--print-path'], { encoding: 'utf8' }).trim();
  let debian = execFileSync('bash', [script, '--baseline', '--print-path'], { encoding: 'utf8' }).trim();
  if (!existsSync(debian) && buildBaseline) {
    log(`building the baseline worker (Debian's libsrtp2): ${debian}`);
    debian = execFileSync('nice', ['-n', '10', 'bash', script, '--baseline'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
  }
  // Built with the baseline: mediasoup's objects before our patches, on our libsrtp.
  const unpatched = `${ours}-unpatched`;
  return { ours, debian: existsSync(debian) ? debian : null, unpatched: existsSync(unpatched) ? unpatched : null };
}

export function defaultArms(bins: { ours: string; debian: string | null; unpatched?: string | null }, names?: readonly string[]): KneeArm[] {
  const all: KneeArm[] = [
    ...(bins.debian ? [{ name: 'bare-debian' as const, label: "bare mediasoup, Debian's libsrtp2 (NSS)", target: 'bare' as const, workerBin: bins.debian, libsrtp: 'Debian libsrtp2 2.5 (NSS)' }] : []),
    { name: 'bare', label: 'bare mediasoup, our worker', target: 'bare', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL' },
    { name: 'teleclass', label: 'Teleclass, our worker', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL' },
  ];
  // Only when named: Teleclass's viewers as before the consumers were made sending (paused, then
  // resumeConsumer), for the join path's before/after in one run.
  const paused: KneeArm = { name: 'teleclass-paused', label: 'Teleclass, consume + resume (before)', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { BENCH_CONSUME_PAUSED: '1' } };
  // Only when named: Teleclass's viewers as before the receiving transport came with the join
  // answer (a `createTransport` round trip after it), for the join path's before/after in one run.
  const before: KneeArm = { name: 'teleclass-before', label: 'Teleclass, recv transport after the join (before)', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { BENCH_RECV_IN_JOIN: '0' } };
  // Only when named: Teleclass's viewers as before the join carried the receiving transport's DTLS
  // parameters (the first local consume waits for a `connectTransport` round trip).
  const connect: KneeArm = { name: 'teleclass-connect', label: 'Teleclass, connectTransport after the join (before)', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { BENCH_JOIN_DTLS: '0' } };
  // Only when named: Teleclass's viewers as before the page opened its receiving transport as it
  // loaded (`prepareRecv`): the join opens and connects it.
  const unprepared: KneeArm = { name: 'teleclass-unprepared', label: 'Teleclass, recv transport opened in the join (before)', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { BENCH_PREPARE_RECV: '0' } };
  // Only when named, the data path's before/after: mediasoup's sources without our patches on
  // our libsrtp (the patches' effect, against `bare`), and Teleclass sending with io_uring
  // (MEDIASOUP_IO_URING=1, mediasoup's default; against `teleclass`).
  const optional: KneeArm[] = [
    paused,
    before,
    connect,
    unprepared,
    ...(bins.unpatched ? [{ name: 'bare-unpatched' as const, label: 'bare mediasoup, our libsrtp, no patches', target: 'bare' as const, workerBin: bins.unpatched, libsrtp: 'libsrtp 2.5 on OpenSSL' }] : []),
    { name: 'teleclass-uring', label: 'Teleclass, io_uring sends', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { MEDIASOUP_IO_URING: '1' } },
    // Bare on our worker sending as Teleclass does (no io_uring): our layers alone, against `teleclass`.
    { name: 'bare-nouring', label: 'bare mediasoup, our worker, no io_uring', target: 'bare', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { MEDIASOUP_IO_URING: '0' } },
    // The bench before its counter answered with transport-cc feedback (BENCH_FEEDBACK=0).
    ...(bins.debian
      ? [{ name: 'bare-debian-nofeedback' as const, label: "bare mediasoup, Debian's libsrtp2, no feedback (bench before)", target: 'bare' as const, workerBin: bins.debian, libsrtp: 'Debian libsrtp2 2.5 (NSS)', env: { BENCH_FEEDBACK: '0' } }]
      : []),
    { name: 'teleclass-nofeedback', label: 'Teleclass, no feedback (bench before)', target: 'teleclass', workerBin: bins.ours, libsrtp: 'libsrtp 2.5 on OpenSSL', env: { BENCH_FEEDBACK: '0' } },
  ];
  const order: ArmName[] = ['bare-debian', 'bare-debian-nofeedback', 'bare-unpatched', 'bare', 'bare-nouring', 'teleclass', 'teleclass-nofeedback', 'teleclass-uring', 'teleclass-paused', 'teleclass-before', 'teleclass-connect', 'teleclass-unprepared'];
  return names ? [...all, ...optional].filter((a) => names.includes(a.name)).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)) : all;
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
    maxViewers: Math.round(num('BENCH_KNEE_MAX', 800)),
    windowSeconds: num('BENCH_KNEE_WINDOW_SECONDS', 8),
    holdSeconds: num('BENCH_KNEE_HOLD_SECONDS', 65),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 2),
    concurrency: Math.round(num('BENCH_CONCURRENCY', 4)),
    counters: Math.round(num('BENCH_COUNTERS', 1)),
    maxHolds: Math.round(num('BENCH_KNEE_HOLDS', 3)),
    maxLossPct: 1,
    equalHolds: env['BENCH_KNEE_EQUAL_HOLDS'] !== '0',
    suite: (env['BENCH_SRTP_SUITE'] as SrtpSuite | undefined) ?? SRTP_SUITE,
    workerCore: cpus < 2 ? null : core !== undefined && core !== '' ? Number(core) : cpus - 1,
    workerNice: env['BENCH_KNEE_WORKER_NICE'] === '' ? null : Number.isInteger(Number(env['BENCH_KNEE_WORKER_NICE'] ?? -20)) ? Number(env['BENCH_KNEE_WORKER_NICE'] ?? -20) : -20,
    log: (line) => console.log(line),
  };
}

/** One run of one arm in a fresh process: its steps as they come. */
export async function runOnce(arm: KneeArm, steps: number[], windowSeconds: number, o: Omit<KneeOptions, 'arms'>, onStep: (s: KneeStep) => void): Promise<{ affinity: string; nice: number | null }> {
  const child = fork(path.join(BENCH_DIR, 'kneeRun.ts'), [], {
    execArgv: childExecArgv(),
    env: { ...process.env, ...arm.env, MEDIASOUP_WORKER_BIN: arm.workerBin },
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
  // The machine's cores: availableParallelism() here would count this process's, pinned by now to the harness's.
  const cpus = os.cpus().length;
  const loadAverageStart = os.loadavg().map((v) => round(v));
  log(`knee: one worker pinned to core ${o.workerCore ?? '(none)'} at nice ${o.workerNice ?? '(unchanged)'}, harness on ${harnessCores}; SRTP ${o.suite}; load average ${loadAverageStart.join(' ')}`);
  const results: KneeArmResult[] = arms.map((arm) => ({ arm, ramp: [], rampBest: 0, holds: [], held: 0, equalHolds: [], workerAffinity: '', workerNice: null, errors: [] }));

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

  for (const { arm, viewers } of o.equalHolds ? equalHoldPlan(results) : []) {
    const r = results.find((x) => x.arm.name === arm)!;
    log(`${r.arm.label}: hold ${viewers} viewers for ${o.holdSeconds} s on a fresh worker (the same load as another arm's held step)`);
    let held: KneeStep | undefined;
    try {
      await runOnce(r.arm, [viewers], o.holdSeconds, o, (s) => (held = s));
    } catch (error) {
      r.errors.push(`same-load hold ${viewers}: ${message(error)}`);
      log(`  hold failed: ${message(error)}`);
    }
    if (!held) continue;
    r.equalHolds.push({ ...held, passed: passed(held, o) });
    log(`  hold ${stepLine(held)} → ${passed(held, o) ? 'held' : 'not held'}`);
  }

  const ratios = kneeRatios(results);
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
