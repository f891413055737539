// The cluster run of the benchmark, short: origin and two edges on a real Redis, the studio over
// RTMP; each edge costs the origin one copy of each of the studio's two streams, whatever the
// number of viewers on it.
import { describe, expect, it } from 'vitest';
import { runClusterBench } from './cluster.js';

describe('cluster bench', () => {
  it('reports one stream per producer per edge and the origin\'s cost, flat in the viewers', async () => {
    const { steps } = await runClusterBench(() => undefined, 3, [1, 4]);
    expect(steps.map((s) => s.viewersPerEdge)).toEqual([1, 4]);
    for (const step of steps) {
      expect(step.streamsPerEdge).toBe(2);
      expect(step.originKbpsPerEdge).toHaveLength(2);
      // The clip is 800 kbit/s of H.264 and 128 kbit/s of Opus: each edge gets it once, not per viewer.
      for (const kbps of step.originKbpsPerEdge) expect(kbps).toBeGreaterThan(200);
      for (const kbps of step.originKbpsPerEdge) expect(kbps).toBeLessThan(2000);
      expect(step.originWorkerCpuPct).toBeGreaterThanOrEqual(0);
    }
  }, 180_000);
});
