// Smoke test of the benchmark: a tiny run (3 viewers, a couple of seconds per target) must
// produce every figure as a number and write its JSON, including a real-WebRTC sample of one
// Chromium attendee on the Teleclass side. No timing is asserted.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSteps, formatTable, runBench, type BenchResult } from './bench.js';
import { SRTP_SUITE } from './target.js';

describe('bench', () => {
  it('measures Teleclass and bare mediasoup side by side and writes the JSON', async () => {
    const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-bench-'));
    const { result, file } = await runBench({ maxViewers: 3, stepSeconds: 2, settleSeconds: 1.5, workers: 2, counters: 2, webrtcSample: 1, resultsDir, log: () => undefined });

    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    expect(written.results.map((r) => r.target)).toEqual(['teleclass', 'bare']);
    for (const r of result.results) {
      expect(r.steps.length).toBeGreaterThan(0);
      const step = r.steps[0]!;
      expect(step.viewers).toBe(3);
      expect(step.viewersPerWorker.reduce((a, b) => a + b, 0)).toBe(3);
      for (const value of [
        step.lossPct,
        ...step.workerCpuPct,
        step.joinMs.p50,
        step.joinMs.p95,
        step.latencyMs.p50,
        step.latencyMs.p99,
        step.memoryPerViewerKb,
        step.cpu.server,
        step.cpu.machine,
        ...step.cpu.counters,
        step.joinCpu.server,
      ]) {
        expect(typeof value).toBe('number');
        expect(Number.isFinite(value)).toBe(true);
      }
      // The viewers' signaling runs in the load generator, not the server's process; bare has none.
      if (r.target === 'teleclass') expect(Number.isFinite(step.cpu.loadgen)).toBe(true);
      else expect(step.cpu.loadgen).toBeNull();
      expect(step.cpu.counters).toHaveLength(2);
      // Three viewers never reach the SFU's limit; on a loaded CI machine packets may still be lost
      // (the figures are the bench's business, not this smoke test's), so either end is fine.
      expect(['max viewers', 'loss']).toContain(r.limit);
      for (const value of Object.values(r.summary)) expect(typeof value).toBe('number');
      if (r.target === 'bare') expect(r.webrtc).toBeNull();
    }
    // One Chromium page joined on the attendee link, got RTP and decoded a frame.
    const webrtc = written.results.find((r) => r.target === 'teleclass')?.webrtc;
    expect(webrtc?.failures).toEqual([]);
    expect(webrtc?.n).toBe(1);
    expect(webrtc?.label).toBe('WebRTC (Chromium, n=1)');
    // The suite Chromium negotiated with the worker is the one the bench's counted legs use.
    expect(webrtc?.srtpCiphers).toEqual([SRTP_SUITE]);
    for (const value of [webrtc!.joinToFirstRtpMs.p50, webrtc!.joinToFirstRtpMs.p95, webrtc!.joinToFirstFrameMs.p50, webrtc!.joinToFirstVideoRtpMs.p50]) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    expect(formatTable(result)).toContain('WebRTC (Chromium, n=1) join → first decoded frame');
    expect(result.ratio).not.toBeNull();
    expect(formatTable(result)).toContain('Teleclass / bare');
    expect(formatSteps(result)).toContain('loadgen CPU %');
  }, 240_000);
});
