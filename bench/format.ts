// The benchmark's tables: one row per step (which process was busy, which limit stopped the
// run) and the Teleclass / bare summary.
import type { BenchResult, Summary, TargetFigures, StepFigures } from './bench.js';

const cell = (v: number | null) => (v === null ? '-' : String(Math.round(v)));
const STEP_COLUMNS = ['viewers', 'loss %', 'workers CPU %', 'server CPU %', 'loadgen CPU %', 'counters CPU %', 'ffmpeg %', 'machine %', 'join p50/p95 ms', 'latency p50/p99 ms', 'per worker'];
const STEP_WIDTHS = [7, 6, 13, 12, 13, 14, 8, 9, 15, 18, 10];
const row = (cells: string[], last = '') => `| ${cells.map((c, i) => c.padEnd(STEP_WIDTHS[i]!)).join(' | ')} |${last}`;
export const STEP_HEADER = row(STEP_COLUMNS, ' stopped by');

/**
 * One step as a table row. Server and load-generator CPU read `window (while joining)`: loss is
 * measured in the window, join time while joining. CPU is % of one core.
 */
export function stepRow(s: StepFigures, stoppedBy = ''): string {
  return row(
    [
      String(s.viewers),
      String(s.lossPct),
      s.workerCpuPct.map(cell).join('/'),
      `${cell(s.cpu.server)} (${cell(s.joinCpu.server)})`,
      `${cell(s.cpu.loadgen)} (${cell(s.joinCpu.loadgen)})`,
      s.cpu.counters.map(cell).join('/'),
      cell(s.cpu.ffmpeg),
      cell(s.cpu.machine),
      `${s.joinMs.p50}/${s.joinMs.p95}`,
      `${s.latencyMs.p50}/${s.latencyMs.p99}`,
      s.viewersPerWorker.join('/'),
    ],
    stoppedBy ? ` ${stoppedBy}` : '',
  );
}

/** Every step of every target, with the limit that stopped each run on its last row. */
export function formatSteps(result: BenchResult): string {
  const blocks = result.results.map((r) => {
    const rows = r.steps.map((s, i) => stepRow(s, i === r.steps.length - 1 ? r.limit : ''));
    return [`${r.target}: stopped by ${r.limit}: ${r.stoppedBecause}`, STEP_HEADER, row(STEP_WIDTHS.map((w) => '-'.repeat(w)), ' ---'), ...rows].join('\n');
  });
  return [
    'CPU in % of one core over the measurement window (in brackets: while the step joined); workers, counters: each process.',
    ...blocks,
  ].join('\n\n');
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
  // The real-WebRTC sample (Teleclass only): bare mediasoup has no signaling and no page to open.
  const w = tc?.webrtc;
  const pair = (x: { p50: number; p95: number } | undefined) => (x ? `${x.p50} / ${x.p95}` : '-');
  const label = w?.label ?? 'WebRTC (Chromium)';
  rows.push([`${label} join → first RTP p50 / p95 (ms)`, pair(w?.joinToFirstRtpMs), '–', '–']);
  rows.push([`${label} join → first decoded frame p50 / p95 (ms)`, pair(w?.joinToFirstFrameMs), '–', '–']);
  rows.push(['viewers per worker', extra(tc), extra(bare), '-']);
  rows.push(['stopped by', tc?.limit ?? '-', bare?.limit ?? '-', '-']);
  const header = ['figure', 'Teleclass', 'bare mediasoup', 'Teleclass / bare'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = [
    '',
    `WebRTC rows: ${w ? `${w.n} of ${w.requested} Chromium attendee pages` : 'no Chromium sample'}, joined one at a time after the bulk steps with the bulk viewers closed, timed in the page from the join click;`,
    '"–" for bare mediasoup: it has no signaling and no attendee page for a browser to open.',
  ];
  if (w && w.failures.length > 0) notes.push(`failed pages: ${w.failures.join('; ')}`);
  return [line(header), line(widths.map((x) => '-'.repeat(x))), ...rows.map(line), ...notes].join('\n');
}

