// The knee's comparisons: Teleclass / each bare arm at each arm's held step, and at one load (two
// ramp steps of the same count; two holds of the same count, the one extra: see equalHoldPlan).
import type { ArmName, KneeArmResult, KneeResult, KneeStep } from './knee.js';
import { figuresAt } from './kneeReport.js';

const round = (v: number, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

/**
 * The extra holds that put Teleclass and each bare arm at one load: for each pair that both held
 * something but not the same count, the arm that held more, at the other's count (once per arm
 * and count).
 */
export function equalHoldPlan(results: readonly Pick<KneeArmResult, 'arm' | 'held'>[]): { arm: ArmName; viewers: number }[] {
  const tc = results.find((r) => r.arm.name === 'teleclass');
  if (!tc || tc.held <= 0) return [];
  const plan: { arm: ArmName; viewers: number }[] = [];
  for (const r of results) {
    if (r === tc || r.held <= 0 || r.held === tc.held) continue;
    const next = tc.held > r.held ? { arm: tc.arm.name, viewers: r.held } : { arm: r.arm.name, viewers: tc.held };
    if (!plan.some((p) => p.arm === next.arm && p.viewers === next.viewers)) plan.push(next);
  }
  return plan;
}

/** An arm's passed step at `viewers` from its holds: its held step, or a same-load hold. */
export function heldAt(r: Pick<KneeArmResult, 'holds' | 'equalHolds'>, viewers: number): KneeStep | undefined {
  return [...r.holds, ...r.equalHolds].find((h) => h.passed && h.viewers === viewers);
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? round(a / b) : null);
const cpuPerViewer = (s: KneeStep | undefined) => (s ? s.workerCpuPct / s.viewers : undefined);

/** Teleclass / each bare arm (none without a Teleclass arm). */
export function kneeRatios(results: readonly KneeArmResult[]): KneeResult['ratios'] {
  const tc = results.find((r) => r.arm.name === 'teleclass');
  if (!tc) return [];
  // Ratios only of held steps: a failed step's figures describe the failure, not the SFU. CPU per
  // forwarded packet is the exception: it holds wherever the worker forwarded something.
  const heldStep = (r: KneeArmResult) => r.holds.find((h) => h.passed);
  const forwarding = (r: KneeArmResult) => {
    const s = figuresAt(r)?.step;
    return s && Number.isFinite(s.workerCpuUsPerPacket) && s.workerCpuPct > 0 ? s.workerCpuUsPerPacket : undefined;
  };
  /** Both arms' steps at the lower of their held counts, as `at` finds them (null when either is missing). */
  const atLowerHeld = (a: KneeArmResult, b: KneeArmResult, at: (r: KneeArmResult, viewers: number) => KneeStep | undefined) => {
    const viewers = Math.min(a.held, b.held);
    const sa = viewers > 0 ? at(a, viewers) : undefined;
    const sb = viewers > 0 ? at(b, viewers) : undefined;
    if (!sa || !sb) return null;
    return {
      viewers,
      latencyP99: ratio(sa.latencyMs.p99, sb.latencyMs.p99),
      joinP95: ratio(sa.joinMs.p95, sb.joinMs.p95),
      workerCpuPerViewer: ratio(cpuPerViewer(sa), cpuPerViewer(sb)),
      memoryPerViewer: ratio(sa.memoryPerViewerKb, sb.memoryPerViewerKb),
    };
  };
  const rampAt = (r: KneeArmResult, viewers: number) => r.ramp.find((s) => s.viewers === viewers && s.cause === null);
  return results
    .filter((r) => r !== tc)
    .map((bare) => {
      const ramp = atLowerHeld(tc, bare, rampAt);
      return {
        versus: bare.arm.name,
        viewersPerCore: ratio(tc.held, bare.held),
        workerCpuPerViewer: ratio(cpuPerViewer(heldStep(tc)), cpuPerViewer(heldStep(bare))),
        workerCpuPerPacket: ratio(forwarding(tc), forwarding(bare)),
        joinP95: ratio(heldStep(tc)?.joinMs.p95, heldStep(bare)?.joinMs.p95),
        memoryPerViewer: ratio(heldStep(tc)?.memoryPerViewerKb, heldStep(bare)?.memoryPerViewerKb),
        latencyP99: ratio(heldStep(tc)?.latencyMs.p99, heldStep(bare)?.latencyMs.p99),
        equalLoad: ramp && { viewers: ramp.viewers, latencyP99: ramp.latencyP99, joinP95: ramp.joinP95, workerCpuPerViewer: ramp.workerCpuPerViewer },
        equalHold: atLowerHeld(tc, bare, heldAt),
      };
    });
}
