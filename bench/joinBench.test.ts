// Smoke test of the join measurement (BENCH_JOIN=1, bench/joinBench.ts): one round of 2 viewers,
// bare mediasoup and Teleclass. It checks that join → first RTP is measured for both, with the
// per-step breakdown (the page open before the join press, off the clock; the load generator's
// round trips and the server's own steps, the receiving transport and the consumers coming with
// the join), the flow before (teleclass-main) in the same run, and the Teleclass / bare ratios;
// no timing is asserted.
import { mkdtempSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJoinBench, joinRatios, joinSummary, PAGE_OPEN, runJoinBench, writeJoinBench, type JoinRun } from './joinBench.js';

describe('join bench (BENCH_JOIN=1)', () => {
  it('measures join → first RTP of bare mediasoup and Teleclass, step by step', async () => {
    const j = await runJoinBench(
      { BENCH_JOIN_VIEWERS: '2', BENCH_JOIN_ROUNDS: '1', BENCH_JOIN_WINDOW_SECONDS: '1', BENCH_SETTLE_SECONDS: '1', BENCH_JOIN_ARMS: 'bare,teleclass-main,teleclass',
        // The worker's core may be moved off one busy with other measurements (BENCH_KNEE_CORE).
        ...(process.env['BENCH_KNEE_CORE'] !== undefined && { BENCH_KNEE_CORE: process.env['BENCH_KNEE_CORE'] }) },
      () => undefined,
    );
    expect(j.runs.map((r) => [r.arm, r.error])).toEqual([['bare', null], ['teleclass-main', null], ['teleclass', null]]);
    const tc = j.runs.find((r) => r.arm === 'teleclass')!.step!;
    expect(Number.isFinite(tc.joinMs.p95)).toBe(true);
    const phases = Object.keys(tc.phasesMs);
    // The page opened before the join press (its own row, off the clock); then one round trip:
    // the join brought the transport and the consumers — no connect, createTransport or consume in it …
    expect(phases).toEqual(expect.arrayContaining([PAGE_OPEN, 'join (+ consumers; recv transport prepared at page open)', "local consume (the answer's consumers, no request)", 'after the legs, until the first packet']));
    for (const gone of ['socket.io + TLS connect', 'createTransport (recv)', 'consume (created sending)', 'server · consume (server)']) expect(phases).not.toContain(gone);
    // … and the server's own steps within it (the handshake's and the prepared transport's belong to the page open).
    for (const step of ['page open · handshake: token check', 'page open · prepare: recv transport', 'page open · prepare: recv connect', 'join: store reads', 'join: attendance write', 'join: consumes']) {
      expect(phases).toContain(`server · ${step}`);
    }
    // The counted leg starts when the server answers the join, in its process (as bare's after its WebRTC leg), not after a hop back through the load generator.
    expect(phases).toContain("counted leg (egress: plain transport, consumes; from the server's answer)");
    expect(phases).not.toContain('load generator IPC, the answer back');
    // The join took the prepared transport over: it opened and connected none.
    for (const gone of ['server · join: recv transport', 'server · join: recv connect']) expect(phases).not.toContain(gone);
    // The flow before, in the same run: the connect inside the join, the consumes after it.
    const main = Object.keys(j.runs.find((r) => r.arm === 'teleclass-main')!.step!.phasesMs);
    expect(main).toEqual(expect.arrayContaining(['socket.io + TLS connect', 'join (+ recv transport)', 'consume (created sending)', 'server · handshake: token check', 'load generator IPC, the answer back']));
    expect(main).not.toContain(PAGE_OPEN);
    expect(j.ratios).toEqual([
      expect.objectContaining({ arm: 'teleclass-main', bare: 'bare', round: 1, p95: expect.any(Number) }),
      expect.objectContaining({ arm: 'teleclass', bare: 'bare', round: 1, p95: expect.any(Number) }),
    ]);
    // Every join's time is kept for the pooled figures.
    expect(tc.joinSamplesMs).toHaveLength(2);
    expect(j.summary.map((m) => [m.arm, m.bare])).toEqual([['teleclass-main', 'bare'], ['teleclass', 'bare']]);
    const text = formatJoinBench(j);
    expect(text).toContain('teleclass / bare, join → first RTP');
    expect(text).toMatch(/teleclass \/ bare over \d clean rounds/);
    expect(text).toContain('server · join: consumes');
    expect(text).toContain('page open');
    expect(existsSync(writeJoinBench(j, mkdtempSync(path.join(os.tmpdir(), 'teleclass-join-'))))).toBe(true);
  }, 180_000);

  it('compares each round with whichever bare arm ran (bare-debian, bare-nouring), not only one named bare', () => {
    const run = (arm: JoinRun['arm'], round: number, p50: number, p95: number): JoinRun => ({ arm, round, step: { joinMs: { p50, p95 } } as JoinRun['step'], error: null });
    const runs = [run('bare-debian', 1, 30, 60), run('bare-nouring', 1, 20, 50), run('teleclass', 1, 45, 90), run('bare-debian', 2, 40, 80), run('teleclass', 2, 40, 100)];
    expect(joinRatios(runs, 2)).toEqual([
      { arm: 'teleclass', bare: 'bare-debian', round: 1, p50: 1.5, p95: 1.5 },
      { arm: 'teleclass', bare: 'bare-nouring', round: 1, p50: 2.25, p95: 1.8 },
      { arm: 'teleclass', bare: 'bare-debian', round: 2, p50: 1, p95: 1.25 },
    ]);
    // A failed run has no figure: no ratio, not a crash.
    expect(joinRatios([run('bare-debian', 1, 30, 60), { arm: 'teleclass', round: 1, step: null, error: 'x' }], 1)).toEqual([{ arm: 'teleclass', bare: 'bare-debian', round: 1, p50: null, p95: null }]);
  });

  it('pools the joins of the clean rounds, and leaves out a round where either arm lost or a join failed', () => {
    const run = (arm: JoinRun['arm'], round: number, samples: number[], lost = false): JoinRun => ({
      arm,
      round,
      step: {
        joinMs: { p50: samples[Math.floor(samples.length / 2)]!, p95: Math.max(...samples) },
        joinSamplesMs: samples,
        cause: lost ? 'loss at the worker input' : null,
        failedJoins: 0,
      } as JoinRun['step'],
      error: null,
    });
    const ten = (base: number) => Array.from({ length: 10 }, (_, i) => base + i);
    const runs = [
      run('bare-debian', 1, ten(10)), run('teleclass', 1, ten(20)), // p95 19 / 29
      run('bare-debian', 2, ten(100), true), run('teleclass', 2, ten(1000)), // bare lost: left out
      run('bare-debian', 3, ten(30)), run('teleclass', 3, ten(30)), // p95 39 / 39
    ];
    const [m] = joinSummary(runs, 3);
    expect(m).toMatchObject({ arm: 'teleclass', bare: 'bare-debian', cleanRounds: 2, leftOut: [2], roundsWithin: 1 });
    expect(m!.medianRoundP95Ratio).toBe(1.26); // the median of 29 / 19 and 39 / 39
    // Pooled: 20 joins each; p95 = the 19th = 38 (Teleclass) and 38 (bare).
    expect(m!.pooled).toEqual({ armP50: 29, armP95: 38, bareP50: 19, bareP95: 38, p95Ratio: 1 });
  });
});
