// Nothing lost on a crash: the process recording a lecture (server, workers and every ffmpeg
// writing the files) is killed with SIGKILL mid-way, as a power cut would. The raw files play up
// to the cut, and the next start marks the recording interrupted (and still composes it).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { ffprobe } from '../ffprobe.js';
import { recordThenCrash } from '../fixtures/crashedRecording.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';

let server: RunningServer | undefined;
afterAll(async () => server?.close());

describe('a recording cut off by a crash', () => {
  it('plays up to the cut and is marked interrupted', async () => {
    const recording = await recordThenCrash('recording-crash');
    const { dataDir } = recording;
    const cutAfterS = recording.killedAtMs / 1000;

    const files = readdirSync(recording.dir).filter((f) => /\.(mkv|mka)$/.test(f));
    expect(files.sort()).toEqual([expect.stringMatching(/^trainer-.*-camera-1\.mkv$/), expect.stringMatching(/^trainer-.*-microphone-1\.mka$/)]);
    for (const file of files) {
      const probe = await ffprobe(path.join(recording.dir, file));
      expect(probe.packets, file).toBeGreaterThan(50);
      // Clusters of at most a second are on disk: all but the last second or so is there.
      expect(probe.durationS, file).toBeGreaterThan(cutAfterS - 2.5);
      expect(probe.durationS, file).toBeLessThanOrEqual(cutAfterS + 0.5);
    }

    // The next start finds the recording cut off.
    // Nobody brings the lecture back: after the resume window (2 s here) it is composed as it is.
    server = await startServer(testConfig({ DATA_DIR: dataDir, RECORDING_RESUME_SECONDS: '2' }), testLogger());
    const after = (await server.store.getRecording(recording.id))!;
    expect(['interrupted', 'processing', 'ready']).toContain(after.status);
    expect(after.endedAt).toBeNull();
    // It is still composed into one file from what was written.
    const ready = await waitFor(async () => {
      const r = (await server!.store.getRecording(recording.id))!;
      if (r.status === 'failed') throw new Error(`composing failed: ${r.error}`);
      return r.status === 'ready' ? r : undefined;
    }, 180_000, 'the interrupted recording to be composed');
    const mp4 = await ffprobe(path.join(ready.dir, ready.output!));
    expect(mp4.durationS).toBeGreaterThan(cutAfterS - 3);
  }, 300_000);
});
