// The benchmark's media probe: bench/udpcount.c (the relay ffmpeg → studio and the per-viewer
// packet counters), compiled here with the gcc the worker build already needs (cached by the
// source's hash next to the clip), driven over its stdin/stdout, and run at real-time priority so
// that neither the machine's other tenants nor the server's own Node processes on the harness core
// can pause it. It replaced a Node probe whose event loop stalled for 0.7–4.7 s on a busy core and
// then fed the worker in bursts, and whose dgram sockets fell behind at a few thousand packets/s.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir } from './clip.js';
import { BENCH_DIR } from './options.js';
import type { CountedLeg, SrtpSuite } from './target.js';

export interface SsrcStats {
  ssrc: number;
  received: number;
  /** Extended sequence numbers: expected packets = max - first + 1. */
  firstExt: number;
  maxExt: number;
  firstArrivalNs: string;
}

export interface SsrcLatency {
  ssrc: number;
  p50: number;
  p99: number;
  samples: number;
}

export interface ProbeReady {
  type: 'ready';
  relay: { video: number; audio: number; rtcp: number };
  counter: { ip: string; port: number };
}

export interface ProbeSnapshot {
  type: 'snapshot';
  id: number;
  nowNs: string;
  ssrcs: SsrcStats[];
  latencyMs: number[];
  /** Each track's latency since the last snapshot, for per-viewer p99. */
  latencyBySsrc: SsrcLatency[];
  relayed: number;
  /** The longest pause between two relayed packets since the last snapshot, ms (ffmpeg or the relay starved). */
  relayMaxGapMs: number;
  ingestKinds: Record<string, number>;
  /** Transport-cc feedback packets sent to the viewers' transports (failed: not protected or not sent). */
  feedback: { sent: number; failed: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Viewers get transport-cc feedback from the counter, as from a browser (BENCH_FEEDBACK=0: none, the bench before). */
export const FEEDBACK = process.env['BENCH_FEEDBACK'] !== '0';
const SUITE_WORD: Record<SrtpSuite, string> = { AEAD_AES_256_GCM: 'gcm256', AEAD_AES_128_GCM: 'gcm128', AES_CM_128_HMAC_SHA1_80: 'cm80', AES_CM_128_HMAC_SHA1_32: 'cm32' };
const SOURCE = path.join(BENCH_DIR, 'udpcount.c');

/** The compiled probe, built once per source version (gcc -O2). */
export function counterBinary(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = cacheDir();
  const bin = path.join(dir, `udpcount-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  execFileSync('gcc', ['-O2', '-Wall', '-o', tmp, SOURCE, '-lsrtp2'], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, bin);
  return bin;
}

/**
 * Gives a harness process (the probe, ffmpeg) real-time priority (SCHED_FIFO 10), or nice -20,
 * so it runs as soon as it has a packet: both use a few per cent of a core. Returns what it got.
 */
export function prioritize(pid: number | undefined): string {
  if (pid === undefined) return 'none';
  try {
    execFileSync('chrt', ['-f', '-a', '-p', '10', String(pid)], { stdio: 'ignore' });
    return 'SCHED_FIFO 10';
  } catch {
    try {
      execFileSync('renice', ['-n', '-20', '-p', String(pid)], { stdio: 'ignore' });
      return 'nice -20';
    } catch {
      return 'unchanged (not permitted)';
    }
  }
}

export class Probe {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (m: ProbeSnapshot) => void>();
  #next = 0;
  ready!: ProbeReady;
  priority = 'unchanged';
  private constructor(child: ChildProcess) {
    this.#child = child;
  }
  static async start(bin: string): Promise<Probe> {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const probe = new Probe(child);
    const lines = createInterface({ input: child.stdout! });
    const ready = new Promise<ProbeReady>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the probe exited (${code}) before it was ready`)));
      lines.on('line', (line) => {
        const m = JSON.parse(line, (_k, v: unknown) => (v === null ? NaN : v)) as ProbeReady | ProbeSnapshot;
        if (m.type === 'ready') resolve(m);
        else probe.#waiting.get(m.id)?.(m);
      });
    });
    probe.ready = await ready;
    probe.priority = prioritize(child.pid);
    return probe;
  }
  get pid(): number | undefined {
    return this.#child.pid;
  }
  #send(line: string): void {
    this.#child.stdin!.write(`${line}\n`);
  }
  start(ingest: { ip: string; port: number } | null, mirrors: { ip: string; port: number }[]): void {
    this.#send(['start', ingest?.ip ?? '0.0.0.0', ingest?.port ?? 0, ...mirrors.flatMap((m) => [m.ip, m.port])].join(' '));
  }
  track(ssrc: number, kind: 'video' | 'audio'): void {
    this.#send(Probe.#trackLine(ssrc, kind));
  }
  /** A viewer's counted leg: the counter sends it transport-cc feedback (unless BENCH_FEEDBACK=0 or none negotiated). */
  leg(leg: CountedLeg, test: { loseEvery?: number } = {}): void {
    const line = Probe.#legLine(leg, test);
    if (line) this.#send(line);
  }
  /**
   * A viewer's tracks and its counted leg in one write (one pipe message, not three: the bench
   * process that writes them is the server under test in the Teleclass arm).
   */
  announce(tracks: readonly { ssrc: number; kind: 'video' | 'audio' }[], leg: CountedLeg): void {
    const lines = tracks.map((t) => Probe.#trackLine(t.ssrc, t.kind));
    const legLine = Probe.#legLine(leg, {});
    this.#send([...lines, ...(legLine ? [legLine] : [])].join('\n'));
  }
  static #trackLine(ssrc: number, kind: 'video' | 'audio'): string {
    return `track ${ssrc} ${kind === 'video' ? 'v' : 'a'}`;
  }
  static #legLine(leg: CountedLeg, test: { loseEvery?: number }): string | null {
    if (!FEEDBACK || leg.twccId === null) return null;
    return `viewer ${leg.port} ${SUITE_WORD[leg.suite]} ${leg.keyBase64} ${leg.twccId} ${leg.ssrc}${test.loseEvery ? ` ${test.loseEvery}` : ''}`;
  }
  snapshot(): Promise<ProbeSnapshot> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#waiting.set(id, (m) => {
        this.#waiting.delete(id);
        resolve(m);
      });
      this.#send(`snapshot ${id}`);
    });
  }
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#send('stop');
    await Promise.race([exited, sleep(2000)]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

/** The counter shards: viewer i's media goes to shard i mod n; shard 0 relays the studio. */
export class Counters {
  private constructor(readonly shards: Probe[]) {}
  static async start(n: number): Promise<Counters> {
    const bin = counterBinary();
    const shards = await Promise.all(Array.from({ length: Math.max(1, n) }, () => Probe.start(bin)));
    return new Counters(shards);
  }
  get relay() {
    return this.shards[0]!.ready.relay;
  }
  pids(): (number | undefined)[] {
    return this.shards.map((s) => s.pid);
  }
  /** The scheduling the probes got (SCHED_FIFO, nice -20 or unchanged). */
  get priority(): string {
    return this.shards[0]!.priority;
  }
  shardOf(index: number): Probe {
    return this.shards[index % this.shards.length]!;
  }
  start(ingest: { ip: string; port: number }): void {
    const [first, ...rest] = this.shards;
    first!.start(ingest, rest.map((s) => s.ready.counter));
    for (const s of rest) s.start(null, []);
  }
  /** All shards' snapshots as one (the relay's per-kind counts come from shard 0). */
  async snapshot(): Promise<ProbeSnapshot> {
    const all = await Promise.all(this.shards.map((s) => s.snapshot()));
    const first = all[0]!;
    return {
      ...first,
      ssrcs: all.flatMap((x) => x.ssrcs),
      latencyMs: all.flatMap((x) => x.latencyMs),
      latencyBySsrc: all.flatMap((x) => x.latencyBySsrc),
      relayMaxGapMs: Math.max(...all.map((x) => x.relayMaxGapMs)),
      feedback: { sent: all.reduce((a, x) => a + x.feedback.sent, 0), failed: all.reduce((a, x) => a + x.feedback.failed, 0) },
    };
  }
  async stop(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.stop()));
  }
}
