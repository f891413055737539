// Nothing lost on a crash: the process recording a lecture (server, workers and every ffmpeg
// writing the files) is killed with SIGKILL mid-way, as a power cut would. The raw files play up
// to the cut, and the next start marks the recording interrupted (and still composes it).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ffprobe } from '../ffprobe.js';
import { tempDir, testConfig, testLogger, waitFor } from '../helpers.js';

let server: RunningServer | undefined;
afterAll(async () => server?.close());

describe('a recording cut off by a crash', () => {
  it('plays up to the cut and is marked interrupted', async () => {
    const dataDir = tempDir('recording-crash');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/test/fixtures/recordingChild.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group: the kill takes mediasoup and every ffmpeg with it
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const line = await waitFor(() => out.split('\n').find((l) => l.startsWith('RECORDING ')), 60_000, 'the recording to start');
    const recording = JSON.parse(line.slice('RECORDING '.length)) as { id: string; dir: string; startedAt: number };
    await new Promise((r) => setTimeout(r, 5000));
    const cutAfterS = (Date.now() - recording.startedAt) / 1000;
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));

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
