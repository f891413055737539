// The knee's report: one line per measured step while it runs, the table (one column per arm,
// figures at each arm's held step, then the ratios) and the JSON file of the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ArmName, KneeArmResult, KneeResult, KneeStep } from './knee.js';
import { RELAY_STALL_MS } from './udpDrops.js';

const round = (v: number, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : NaN);

/** One step, as the run logs it. */
export function stepLine(s: KneeStep): string {
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
    ...(k.arms.some((r) => r.equalHolds.length > 0)
      ? [['same-load hold: viewers, join p50 / p95, latency p99 (ms)', ...k.arms.map((r) =>
          r.equalHolds.map((h) => `${h.viewers}${h.passed ? '' : ` (lost ${h.lossPct} %)`}: ${h.joinMs.p50} / ${h.joinMs.p95}, ${h.latencyMs.p99}`).join('; ') || '-')] as [string, ...string[]]]
      : []),
  ];
  const header = ['figure', ...k.arms.map((r) => r.arm.label)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const ratioLines = k.ratios.map((r) => {
    const label = k.arms.find((a) => a.arm.name === r.versus)?.arm.label ?? r.versus;
    const equal = r.equalLoad
      ? `; at the same load (ramp, ${r.equalLoad.viewers} viewers each): latency p99 ${cell(r.equalLoad.latencyP99)}, join p95 ${cell(r.equalLoad.joinP95)}, worker CPU per viewer ${cell(r.equalLoad.workerCpuPerViewer)}`
      : '';
    const hold = r.equalHold
      ? `; at the same held load (a hold of ${r.equalHold.viewers} viewers each on a fresh worker): join p95 ${cell(r.equalHold.joinP95)}, latency p99 ${cell(r.equalHold.latencyP99)}, worker CPU per viewer ${cell(r.equalHold.workerCpuPerViewer)}, memory per viewer ${cell(r.equalHold.memoryPerViewer)}`
      : '';
    return `Teleclass / ${label}: viewers per core ${cell(r.viewersPerCore)}, worker CPU per viewer ${cell(r.workerCpuPerViewer)}, per packet ${cell(r.workerCpuPerPacket)}, join p95 ${cell(r.joinP95)}, memory per viewer ${cell(r.memoryPerViewer)}, latency p99 ${cell(r.latencyP99)}${equal}${hold}`;
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
