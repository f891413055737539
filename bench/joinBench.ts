// The join measurement alone (`BENCH_JOIN=1 npm run bench`, a minute or two): join → first RTP
// of Teleclass and of bare mediasoup, by the knee's own runs (kneeRun.ts: a fresh process, one
// worker pinned alone to its core, the C probe and ffmpeg at real-time priority), one step of
// BENCH_JOIN_VIEWERS viewers per run, the arms one after the other, BENCH_JOIN_ROUNDS times,
// so every round compares the arms under the same machine load. Printed: each arm's join → first
// RTP p50 / p95 per round, Teleclass / bare in the same round, and where a join's time goes,
// phase by phase (p50 / p95): the page open before the join press (Teleclass: connect,
// `routerCapabilities`, device; its own row, NOT in join → first RTP, whose clock starts at the
// join press as a user's does), the load generator's round trips (join; in the flows before also
// the connect, createTransport, consume), the IPC hop, the counted leg, and the server's own steps
// within them (`server · …`, from lecture/joinTrace.ts: token check and store reads at the
// handshake — `page open ·` when the page made it — the personal token, router capabilities,
// store reads, attendance write, recv transport, the join's consumes, consume); bare: the pipe,
// the WebRTC leg, the counted leg.
// Variables: BENCH_JOIN_VIEWERS (25), BENCH_JOIN_ROUNDS (2), BENCH_JOIN_WINDOW_SECONDS (2),
// BENCH_JOIN_ARMS (bare,teleclass; also teleclass-main — the flow before the page loaded its
// device ahead of the join — teleclass-before, teleclass-paused, bare-debian), and the
// knee's BENCH_KNEE_CORE, BENCH_KNEE_WORKER_NICE, BENCH_CONCURRENCY (4), BENCH_SETTLE_SECONDS (2),
// BENCH_COUNTERS, BENCH_SRTP_SUITE.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from './options.js';
import { defaultArms, defaultKneeOptions, runOnce, workerBinaries, type ArmName, type KneeArm, type KneeStep } from './knee.js';

/**
 * The join bench's own arm (the knee's arms are in knee.ts): Teleclass's viewers in the flow
 * before the page loaded its device ahead of the join press (BENCH_PRECONNECT=0: the connect
 * inside the join's clock, `join { openRecv }`, then both consumes), for a before/after in one run.
 */
const MAIN_FLOW = 'teleclass-main';
type JoinArmName = ArmName | typeof MAIN_FLOW;

/** The page-open row: each Teleclass viewer's page loaded before its join press, NOT in join → first RTP. */
export const PAGE_OPEN = 'page open: connect + routerCapabilities + device + prepareRecv (before the join press; not in join → first RTP)';

export interface JoinRun {
  arm: JoinArmName;
  round: number;
  step: KneeStep | null;
  error: string | null;
}

export interface JoinBenchResult {
  date: string;
  machine: { cpus: number; model: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  viewers: number;
  rounds: number;
  runs: JoinRun[];
  /** Each Teleclass arm's join → first RTP over a bare arm's (`bare`) in the same round. */
  ratios: { arm: JoinArmName; bare: JoinArmName; round: number; p50: number | null; p95: number | null }[];
  /** Each Teleclass arm over each bare arm, over the clean rounds (joinSummary). */
  summary: JoinSummary[];
}

/**
 * Over the rounds where both arms were clean (every viewer joined, loss within the step's limit:
 * a bare worker past its knee is not a join figure to divide by): the median of the rounds'
 * p95 ratios, and the ratio of the p95s of all those rounds' joins pooled, the steadier figure
 * (one round's p95 of a few hundred joins rests on its slowest dozen).
 */
export interface JoinSummary {
  arm: JoinArmName;
  bare: JoinArmName;
  cleanRounds: number;
  /** Rounds left out: either arm lost more than the step allows, or a join failed. */
  leftOut: number[];
  medianRoundP95Ratio: number | null;
  /** Rounds whose p95 ratio is ≤ 1.5 (the issue's goal). */
  roundsWithin: number;
  pooled: { armP50: number; armP95: number; bareP50: number; bareP95: number; p95Ratio: number } | null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const positive = (v: string | undefined, fallback: number) => (Number(v) > 0 ? Number(v) : fallback);

export async function runJoinBench(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<JoinBenchResult> {
  const o = { ...defaultKneeOptions(env), log };
  const viewers = Math.round(positive(env['BENCH_JOIN_VIEWERS'], 25));
  const rounds = Math.round(positive(env['BENCH_JOIN_ROUNDS'], 2));
  const windowSeconds = positive(env['BENCH_JOIN_WINDOW_SECONDS'], 2);
  const names = (env['BENCH_JOIN_ARMS'] ?? 'bare,teleclass').split(',').map((x) => x.trim()).filter(Boolean);
  const bins = workerBinaries(names.includes('bare-debian'), log);
  const teleclassArm = defaultArms(bins, ['teleclass'])[0]!;
  const mainFlow = { ...teleclassArm, name: MAIN_FLOW, label: 'Teleclass, connect in the join, consumes after it (before)', env: { BENCH_PRECONNECT: '0' } } as unknown as KneeArm;
  const arms: KneeArm[] = names.flatMap((n) => (n === MAIN_FLOW ? [mainFlow] : defaultArms(bins, [n])));
  if (arms.length === 0) throw new Error(`BENCH_JOIN_ARMS names no known arm: ${names.join(',')}`);
  const cpus = os.availableParallelism();
  const loadAverageStart = os.loadavg().map(round2);
  // As the knee: everything this process starts runs on the harness cores, each worker alone on its own.
  const affinity = () => execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' }).trim().split(':').pop()!.trim();
  const ownCores = affinity();
  const harnessCores = o.workerCore === null ? 'all' : Array.from({ length: cpus }, (_, i) => i).filter((i) => i !== o.workerCore).join(',');
  if (o.workerCore !== null) execFileSync('taskset', ['-a', '-cp', harnessCores, String(process.pid)], { stdio: 'ignore' });
  log(`join bench: ${viewers} viewers (${o.concurrency} at a time), ${rounds} rounds of ${arms.map((a) => a.name).join(', ')}; worker on core ${o.workerCore ?? '(none)'}, harness on ${harnessCores}; load average ${loadAverageStart.join(' ')}`);
  const runs: JoinRun[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      for (const arm of arms) {
        let step: KneeStep | null = null;
        let error: string | null = null;
        const pageOpenFile = path.join(os.tmpdir(), `teleclass-page-open-${process.pid}.json`);
        rmSync(pageOpenFile, { force: true });
        process.env['BENCH_PAGE_OPEN_FILE'] = pageOpenFile; // the run's Teleclass target writes its page-open times there
        process.env['BENCH_PAGE_OPEN'] = '1'; // its pages open before the join presses (teleclass.ts)
        process.env['BENCH_JOIN_SAMPLES'] = '1'; // every join's time, for the pooled figures
        try {
          await runOnce(arm, [viewers], windowSeconds, o, (s) => (step = s));
        } catch (e) {
          error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
        } finally {
          delete process.env['BENCH_PAGE_OPEN_FILE'];
          delete process.env['BENCH_PAGE_OPEN'];
          delete process.env['BENCH_JOIN_SAMPLES'];
        }
        addPageOpen(step, pageOpenFile);
        runs.push({ arm: arm.name as JoinArmName, round: r, step, error });
        const s = step as KneeStep | null;
        log(`  round ${r} ${arm.name}: ${s ? `join → first RTP p50/p95 ${s.joinMs.p50}/${s.joinMs.p95} ms, loss ${s.lossPct} %${s.failedJoins ? `, ${s.failedJoins} joins failed` : ''}, load ${s.loadAverage[0]}` : `failed: ${error}`}`);
      }
    }
  } finally {
    if (o.workerCore !== null) execFileSync('taskset', ['-a', '-cp', ownCores, String(process.pid)], { stdio: 'ignore' });
  }
  const ratios = joinRatios(runs, rounds);
  const model = os.cpus()[0]?.model ?? 'unknown';
  return {
    date: new Date().toISOString(),
    machine: { cpus, model, loadAverageStart, loadAverageEnd: os.loadavg().map(round2) },
    viewers,
    rounds,
    runs,
    ratios,
    summary: joinSummary(runs, rounds),
  };
}

/** The run's page-open times (the Teleclass target wrote them on closing), as a phase of its step. */
function addPageOpen(step: KneeStep | null, file: string): void {
  let ms: number[] = [];
  try {
    ms = (JSON.parse(readFileSync(file, 'utf8')) as number[]).filter((x) => x > 0);
  } catch {
    return; // bare mediasoup: no page
  } finally {
    rmSync(file, { force: true });
  }
  if (!step || ms.length === 0) return;
  const at = (p: number) => Math.round(percentile(ms, p) * 10) / 10;
  step.phasesMs[PAGE_OPEN] = { p50: at(50), p95: at(95) };
}

/** Each Teleclass arm's join → first RTP over each bare arm's (bare, bare-debian, bare-nouring: whichever ran), round by round. */
export function joinRatios(runs: readonly JoinRun[], rounds: number): JoinBenchResult['ratios'] {
  const ratios: JoinBenchResult['ratios'] = [];
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) ? round2(a / b) : null);
  for (let r = 1; r <= rounds; r++) {
    for (const b of runs.filter((y) => y.round === r && y.arm.startsWith('bare'))) {
      for (const x of runs.filter((y) => y.round === r && y.arm.startsWith('teleclass'))) {
        ratios.push({ arm: x.arm, bare: b.arm, round: r, p50: ratio(x.step?.joinMs.p50, b.step?.joinMs.p50), p95: ratio(x.step?.joinMs.p95, b.step?.joinMs.p95) });
      }
    }
  }
  return ratios;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The pooled and median figures of each Teleclass arm over each bare arm (JoinSummary). */
export function joinSummary(runs: readonly JoinRun[], rounds: number): JoinSummary[] {
  const clean = (r: JoinRun | undefined): r is JoinRun & { step: KneeStep } => !!r?.step && r.step.cause === null && r.step.failedJoins === 0;
  const out: JoinSummary[] = [];
  const armNames = [...new Set(runs.map((r) => r.arm))];
  for (const bare of armNames.filter((a) => a.startsWith('bare'))) {
    for (const arm of armNames.filter((a) => a.startsWith('teleclass'))) {
      const leftOut: number[] = [];
      const roundRatios: number[] = [];
      const armSamples: number[] = [];
      const bareSamples: number[] = [];
      for (let r = 1; r <= rounds; r++) {
        const x = runs.find((y) => y.round === r && y.arm === arm);
        const b = runs.find((y) => y.round === r && y.arm === bare);
        if (!clean(x) || !clean(b)) {
          leftOut.push(r);
          continue;
        }
        if (b.step.joinMs.p95 > 0) roundRatios.push(x.step.joinMs.p95 / b.step.joinMs.p95);
        armSamples.push(...(x.step.joinSamplesMs ?? []));
        bareSamples.push(...(b.step.joinSamplesMs ?? []));
      }
      const at = (v: number[], p: number) => Math.round(percentile(v, p) * 10) / 10;
      const pooled =
        armSamples.length > 0 && bareSamples.length > 0
          ? { armP50: at(armSamples, 50), armP95: at(armSamples, 95), bareP50: at(bareSamples, 50), bareP95: at(bareSamples, 95), p95Ratio: 0 }
          : null;
      if (pooled) pooled.p95Ratio = round2(pooled.armP95 / pooled.bareP95);
      out.push({
        arm,
        bare,
        cleanRounds: roundRatios.length,
        leftOut,
        medianRoundP95Ratio: roundRatios.length > 0 ? round2(median(roundRatios)) : null,
        roundsWithin: roundRatios.filter((v) => v <= 1.5).length,
        pooled,
      });
    }
  }
  return out;
}

/** The runs' join figures, Teleclass / bare per round, then every phase (p50 / p95 ms) per arm and round. */
export function formatJoinBench(j: JoinBenchResult): string {
  const cols = j.runs.map((r) => `${r.arm} #${r.round}`);
  const cell = (r: JoinRun, f: (s: KneeStep) => string) => (r.step ? f(r.step) : `failed`);
  const rows: string[][] = [
    ['join → first RTP p50 / p95 (ms)', ...j.runs.map((r) => cell(r, (s) => `${s.joinMs.p50} / ${s.joinMs.p95}`))],
    ['loss %, failed joins', ...j.runs.map((r) => cell(r, (s) => `${s.lossPct}, ${s.failedJoins}`))],
    ['load average (1 min)', ...j.runs.map((r) => cell(r, (s) => String(s.loadAverage[0])))],
  ];
  const phaseNames = [...new Set(j.runs.flatMap((r) => Object.keys(r.step?.phasesMs ?? {})))];
  // The client's phases first (in the order they happen), then the server's steps within them.
  const rank = (name: string) => (name === PAGE_OPEN ? -1 : name.startsWith('server') ? 2 : name.startsWith('after the legs') ? 1 : 0);
  phaseNames.sort((a, b) => rank(a) - rank(b));
  for (const name of phaseNames) {
    rows.push([`  ${name}`, ...j.runs.map((r) => {
      const p = r.step?.phasesMs[name];
      return p ? `${p.p50} / ${p.p95}` : '';
    })]);
  }
  const header = ['figure (p50 / p95 ms)', ...cols];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const ratioLines = j.ratios.map((r) => `round ${r.round}: ${r.arm} / ${r.bare}, join → first RTP p50 ${r.p50 ?? '-'}, p95 ${r.p95 ?? '-'}`);
  const summaryLines = j.summary.map((m) => {
    const pooled = m.pooled
      ? `pooled p50 / p95 ${m.pooled.armP50} / ${m.pooled.armP95} ms against ${m.pooled.bareP50} / ${m.pooled.bareP95}: p95 ratio ${m.pooled.p95Ratio}`
      : 'no pooled figure';
    const left = m.leftOut.length > 0 ? ` (round${m.leftOut.length > 1 ? 's' : ''} ${m.leftOut.join(', ')} left out: loss or failed joins)` : '';
    return `${m.arm} / ${m.bare} over ${m.cleanRounds} clean rounds${left}: ${pooled}; median of the rounds' p95 ratios ${m.medianRoundP95Ratio ?? '-'}, ${m.roundsWithin} of ${m.cleanRounds} rounds ≤ 1.5`;
  });
  return [
    `Join → first RTP, ${j.viewers} viewers a run; load average ${j.machine.loadAverageStart.join(' ')} → ${j.machine.loadAverageEnd.join(' ')}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...ratioLines,
    ...summaryLines,
    '`server · …` rows are steps inside the load generator\'s phases (some run at once); bare has no signaling.',
  ].join('\n');
}

export function writeJoinBench(j: JoinBenchResult, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `join-${j.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(j, null, 2)}\n`);
  return file;
}
