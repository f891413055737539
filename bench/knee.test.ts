// Smoke test of the knee benchmark (bench/knee.ts) in its quick mode: two steps of 2 viewers, a
// short hold, Teleclass and bare mediasoup on our worker, one worker pinned alone to a core. It
// checks that the harness runs and reports every figure, not how fast anything is.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultArms, defaultKneeOptions, equalHoldPlan, formatKnee, heldAt, runKnee, workerBinaries, writeKnee, type KneeResult, type KneeStep } from './knee.js';
import { lossCause } from './udpDrops.js';

describe('knee bench (quick mode)', () => {
  it('ramps and holds Teleclass and bare mediasoup on one pinned worker and reports viewers per core', async () => {
    const bins = workerBinaries(false, () => undefined);
    const arms = defaultArms(bins, ['bare', 'teleclass']);
    expect(arms.map((a) => a.name)).toEqual(['bare', 'teleclass']);
    // Its own options, but the core given to the knee (a knee running meanwhile may hold the last one).
    const core = process.env['BENCH_KNEE_CORE'];
    const o = { ...defaultKneeOptions(core ? { BENCH_KNEE_CORE: core } : {}), step: 2, maxViewers: 4, windowSeconds: 1.5, holdSeconds: 2, settleSeconds: 1, maxHolds: 1, log: () => undefined };
    const k = await runKnee(arms, o);

    expect(k.arms.map((r) => r.arm.target)).toEqual(['bare', 'teleclass']);
    expect(k.machine.cpus).toBe(os.cpus().length); // the machine's, not the pinned harness's
    for (const r of k.arms) {
      expect(r.ramp.length).toBeGreaterThan(0);
      expect(r.ramp[0]!.viewers).toBe(2);
      if (os.availableParallelism() >= 2) {
        // The worker ran alone on its core; the harness elsewhere.
        expect(r.workerAffinity).toBe(String(o.workerCore));
        expect(k.machine.harnessCores.split(',')).not.toContain(String(o.workerCore));
      }
      for (const s of [...r.ramp, ...r.holds]) {
        for (const v of [s.lossPct, s.workerCpuPct, s.workerCpuUsPerPacket, s.joinMs.p50, s.joinMs.p95, s.latencyMs.p99, s.memoryPerViewerKb, s.drops.workerInput, s.drops.receivers, s.drops.relay, ...s.loadAverage]) {
          expect(Number.isFinite(v)).toBe(true);
        }
        expect(s.latencyByPosition.length).toBeGreaterThan(0);
        expect(Object.keys(s.phasesMs).length).toBeGreaterThan(0);
        // A lost step names its cause; a passing one has none.
        expect(s.cause === null).toBe(s.lossPct <= 1 && s.silentTracks === 0 && s.failedJoins === 0);
      }
      // A ramp that passed a step is held (or stepped down) on a fresh worker; on a loaded CI
      // machine the first step may already lose packets, which the figures report instead.
      if (r.rampBest > 0) expect(r.holds.length).toBeGreaterThan(0);
      expect(r.held).toBe(r.holds.find((h) => h.passed)?.viewers ?? 0);
    }
    // Teleclass's signaling phases and bare's control calls are both broken down.
    expect(Object.keys(k.arms[1]!.ramp[0]!.phasesMs)).toContain('socket.io + TLS connect');
    expect(Object.keys(k.arms[0]!.ramp[0]!.phasesMs)).toContain('WebRTC leg (transport, consume + resume)');
    expect(k.ratios.map((r) => r.versus)).toEqual(['bare']);
    // The same load for both: the lower held count, read from both ramps (null when either held nothing).
    const equal = k.ratios[0]!.equalLoad;
    if (equal) expect(equal.viewers).toBe(Math.min(...k.arms.map((r) => r.held)));
    else expect(Math.min(...k.arms.map((r) => r.held))).toBe(0);

    // The arm that held more was held again at the other's count; its ratios then compare one load.
    expect(k.arms.flatMap((r) => r.equalHolds.map((h) => ({ arm: r.arm.name, viewers: h.viewers })))).toEqual(o.equalHolds ? equalHoldPlan(k.arms) : []);
    const sameHold = k.ratios[0]!.equalHold;
    if (sameHold) expect(sameHold.viewers).toBe(Math.min(...k.arms.map((r) => r.held)));

    const table = formatKnee(k);
    expect(table).toContain('viewers per core (one pinned worker, held)');
    expect(table).toContain('Teleclass / bare mediasoup, our worker: viewers per core');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-knee-'));
    const file = writeKnee(k, dir);
    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as KneeResult;
    expect(written.arms.map((r) => r.held)).toEqual(k.arms.map((r) => r.held));
  }, 240_000);

  it('plans a same-load hold for whichever of Teleclass and each bare arm held more, at the other\'s count', () => {
    const arm = (name: 'bare-debian' | 'bare' | 'bare-nouring' | 'teleclass', held: number) => ({ arm: { name }, held }) as Parameters<typeof equalHoldPlan>[0][number];
    expect(equalHoldPlan([arm('bare-debian', 450), arm('bare-nouring', 600), arm('teleclass', 625)])).toEqual([
      { arm: 'teleclass', viewers: 450 },
      { arm: 'teleclass', viewers: 600 },
    ]);
    // Bare held more: bare is held again at Teleclass's count; equal counts and empty holds need nothing; each once.
    expect(equalHoldPlan([arm('bare', 700), arm('bare-debian', 0), arm('bare-nouring', 625), arm('teleclass', 625)])).toEqual([{ arm: 'bare', viewers: 625 }]);
    expect(equalHoldPlan([arm('bare', 400), arm('bare-nouring', 400), arm('teleclass', 500)])).toEqual([{ arm: 'teleclass', viewers: 400 }]);
    expect(equalHoldPlan([arm('bare', 400), arm('teleclass', 0)])).toEqual([]);
    // Read back: a held step or a passed same-load hold, never a failed one.
    const step = (viewers: number, passed: boolean) => ({ viewers, passed }) as KneeStep & { passed: boolean };
    const r = { holds: [step(650, false), step(625, true)], equalHolds: [step(450, true), step(600, false)] };
    expect(heldAt(r, 625)?.viewers).toBe(625);
    expect(heldAt(r, 450)?.viewers).toBe(450);
    expect(heldAt(r, 600)).toBeUndefined();
    expect(heldAt(r, 650)).toBeUndefined();
  });

  it('pins a loss on the socket that dropped it', () => {
    const none = { workerInput: 0, receivers: 0, relay: 0 };
    expect(lossCause(0.5, 0, none, 1)).toBeNull();
    expect(lossCause(3, 0, { ...none, workerInput: 40 }, 1)).toMatch(/^worker input/);
    expect(lossCause(3, 0, { ...none, workerInput: 40 }, 1, 0, 450)).toMatch(/relay stalled 450 ms/);
    expect(lossCause(3, 0, { ...none, receivers: 7 }, 1)).toMatch(/^receivers/);
    expect(lossCause(3, 0, none, 1)).toMatch(/no socket dropped/);
    expect(lossCause(0, 2, none, 1)).toMatch(/2 consumers sent nothing/);
    expect(lossCause(0, 0, none, 1, 3)).toMatch(/^3 joins failed/);
  });
});
