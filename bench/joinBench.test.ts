// Smoke test of the join measurement (BENCH_JOIN=1, bench/joinBench.ts): one round of 2 viewers,
// bare mediasoup and Teleclass. It checks that join → first RTP is measured for both, with the
// per-step breakdown (the load generator's round trips and the server's own steps, the receiving
// transport coming with the join), and the Teleclass / bare ratio; no timing is asserted.
import { mkdtempSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJoinBench, runJoinBench, writeJoinBench } from './joinBench.js';

describe('join bench (BENCH_JOIN=1)', () => {
  it('measures join → first RTP of bare mediasoup and Teleclass, step by step', async () => {
    const j = await runJoinBench({ BENCH_JOIN_VIEWERS: '2', BENCH_JOIN_ROUNDS: '1', BENCH_JOIN_WINDOW_SECONDS: '1', BENCH_SETTLE_SECONDS: '1' }, () => undefined);
    expect(j.runs.map((r) => [r.arm, r.error])).toEqual([['bare', null], ['teleclass', null]]);
    const tc = j.runs.find((r) => r.arm === 'teleclass')!.step!;
    expect(Number.isFinite(tc.joinMs.p95)).toBe(true);
    const phases = Object.keys(tc.phasesMs);
    // The client's round trips: no createTransport (the join brought the transport) …
    expect(phases).toEqual(expect.arrayContaining(['socket.io + TLS connect', 'join (+ recv transport)', 'consume (created sending)', 'after the legs, until the first packet']));
    expect(phases).not.toContain('createTransport (recv)');
    // … and the server's own steps within them.
    for (const step of ['handshake: token check', 'join: store reads', 'join: attendance write', 'join: recv transport', 'consume (server)']) {
      expect(phases).toContain(`server · ${step}`);
    }
    expect(j.ratios).toEqual([expect.objectContaining({ arm: 'teleclass', round: 1, p95: expect.any(Number) })]);
    const text = formatJoinBench(j);
    expect(text).toContain('teleclass / bare, join → first RTP');
    expect(text).toContain('server · join: recv transport');
    expect(existsSync(writeJoinBench(j, mkdtempSync(path.join(os.tmpdir(), 'teleclass-join-'))))).toBe(true);
  }, 180_000);
});
