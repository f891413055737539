// What the fan-out run (bench.ts) and the knee's runs (kneeRun.ts) share: the harness's media
// (the cached clip, the probe, ffmpeg, both at real-time priority), joining a step's viewers a few
// at a time, and reading a measurement window: loss, silent consumers, join → first RTP.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { ensureClip, replayRtp } from './clip.js';
import { Counters, prioritize, type ProbeSnapshot, type SsrcStats } from './counter.js';
import type { SrtpSuite, Target, ViewerHandle } from './target.js';

export interface Harness {
  probe: Counters;
  ffmpeg: ChildProcess;
  /** The scheduling the probe and ffmpeg got. */
  priority: { probe: string; ffmpeg: string };
  stop(): Promise<void>;
}

/** The probe (relay + counters, `counters` processes) and ffmpeg replaying the clip into its relay. */
export async function startHarness(counters: number, log: (line: string) => void = () => undefined): Promise<Harness> {
  const clip = ensureClip(log);
  const probe = await Counters.start(counters);
  const ffmpeg = replayRtp(clip, probe.relay);
  const priority = { probe: probe.priority, ffmpeg: prioritize(ffmpeg.pid) };
  return {
    probe,
    ffmpeg,
    priority,
    async stop() {
      ffmpeg.kill('SIGTERM');
      await probe.stop();
    },
  };
}

export interface Joined {
  index: number;
  handle: ViewerHandle;
  startNs: bigint;
  step: number;
}

/**
 * Joins viewers `viewers.length` … `count - 1`, `concurrency` at a time, each sending to its
 * counter shard; failed joins are counted (a signaling timeout is the overload showing).
 */
export async function joinViewers(
  target: Target,
  probe: Counters,
  viewers: Joined[],
  count: number,
  step: number,
  concurrency: number,
  suite: SrtpSuite,
): Promise<{ failedJoins: number; failedJoinError: string | null }> {
  let failedJoins = 0;
  let failedJoinError: string | null = null;
  // The step's pages load first (Teleclass: each one's connection and device, as while a person
  // types a name), then the join presses: join → first RTP starts at the press, as a user's does,
  // and no page load of another viewer runs beside a measured join.
  const opened = new Set<number>();
  let nextOpen = viewers.length;
  const openOne = async () => {
    while (nextOpen < count) {
      const index = nextOpen++;
      try {
        await target.openViewer?.(index);
        opened.add(index);
      } catch (error) {
        failedJoins++;
        failedJoinError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  if (target.openViewer) await Promise.all(Array.from({ length: concurrency }, openOne));
  let next = viewers.length;
  const joinOne = async () => {
    while (next < count) {
      const index = next++;
      const shard = probe.shardOf(index);
      if (target.openViewer && !opened.has(index)) continue; // its page failed: counted above
      const startNs = process.hrtime.bigint();
      try {
        const handle = await target.addViewer(index, shard.ready.counter, { announce: (tracks, leg) => shard.announce(tracks, leg) }, suite);
        // The clock starts at the press: where the viewer is, when its target says so.
        viewers.push({ index, handle, startNs: handle.pressedNs ?? startNs, step });
      } catch (error) {
        failedJoins++;
        failedJoinError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, joinOne));
  return { failedJoins, failedJoinError };
}

/** Packets expected and received over a window (a → b) for every viewer's tracks, and the consumers that sent nothing. */
export function windowLoss(viewers: readonly Joined[], a: ProbeSnapshot, b: ProbeSnapshot): { expected: number; received: number; silentTracks: number; lossPct: number } {
  const aBy = new Map(a.ssrcs.map((s) => [s.ssrc, s]));
  const bBy = new Map(b.ssrcs.map((s) => [s.ssrc, s]));
  const span = (s: SsrcStats) => s.maxExt - s.firstExt + 1;
  let expected = 0;
  let received = 0;
  let silentTracks = 0;
  for (const v of viewers) {
    for (const t of v.handle.tracks) {
      const sb = bBy.get(t.ssrc);
      const sa = aBy.get(t.ssrc);
      if (!sb || (sa && sb.received === sa.received)) {
        silentTracks++;
        expected += (b.ingestKinds[t.kind] ?? 0) - (a.ingestKinds[t.kind] ?? 0);
        continue;
      }
      expected += sa ? span(sb) - span(sa) : span(sb);
      received += sa ? sb.received - sa.received : sb.received;
    }
  }
  const lossPct = expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : 100;
  return { expected, received, silentTracks, lossPct };
}

/** Join → first RTP (ms) of the viewers that joined in `step` (of one kind of track, or either). */
export function joinTimes(viewers: readonly Joined[], firstSeen: ReadonlyMap<number, number>, step: number, kind?: 'video'): number[] {
  return viewers
    .filter((v) => v.step === step)
    .map((v) => (Math.min(...v.handle.tracks.filter((t) => !kind || t.kind === kind).map((t) => firstSeen.get(t.ssrc) ?? NaN)) - Number(v.startNs)) / 1e6)
    .filter(Number.isFinite);
}

/** Notes each track's first arrival (ns) the first time a snapshot shows it. */
export function noteFirstSeen(firstSeen: Map<number, number>, b: ProbeSnapshot): void {
  for (const s of b.ssrcs) if (!firstSeen.has(s.ssrc)) firstSeen.set(s.ssrc, Number(BigInt(s.firstArrivalNs)));
}

export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}
