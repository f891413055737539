// The benchmark's media: a 720p30 VP8 + Opus clip encoded once (cached), then replayed as RTP
// by ffmpeg with `-c copy`, so nothing is encoded while the SFU is measured.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnTied } from '../server/src/ingest/tiedSpawn.js';

export const CLIP = { width: 1280, height: 720, fps: 30, seconds: 20, videoKbps: 1500, gop: 30, audioKbps: 64 } as const;

/** RTP identities ffmpeg sends with (the relay and the studio producers use the same). */
export const INGEST = {
  video: { ssrc: 22222222, payloadType: 102 },
  audio: { ssrc: 11111111, payloadType: 101 },
} as const;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['TELECLASS_CACHE_DIR'] ?? path.join(env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'teleclass');
  return path.join(base, 'bench');
}

/** The cached clip's path, encoding it first when missing (about a minute on 2 cores). */
export function ensureClip(log: (line: string) => void = () => undefined): string {
  const c = CLIP;
  const dir = cacheDir();
  const file = path.join(dir, `clip-${c.height}p${c.fps}-${c.seconds}s-vp8-${c.videoKbps}k-g${c.gop}-opus-${c.audioKbps}k.webm`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp.webm`;
  log(`encoding the benchmark clip once: ${file}`);
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${c.width}x${c.height}:rate=${c.fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(c.seconds),
    '-c:v', 'libvpx', '-b:v', `${c.videoKbps}k`, '-maxrate', `${c.videoKbps}k`, '-bufsize', `${c.videoKbps}k`,
    '-g', String(c.gop), '-keyint_min', String(c.gop), '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p',
    '-c:a', 'libopus', '-b:a', `${c.audioKbps}k`, '-ac', '2', '-ar', '48000',
    tmp,
  ];
  const r = spawnSync('nice', ['-n', '19', 'ffmpeg', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`ffmpeg could not encode the clip (exit ${r.status})`);
  renameSync(tmp, file);
  return file;
}

/**
 * ffmpeg replaying the clip forever, in real time, as RTP to the relay's two ports. It dies with
 * the process that started it (spawnTied): a bench stopped with Ctrl-C or killed left it sending
 * until killed by hand, loading the machine the next run measured.
 */
export function replayRtp(clip: string, ports: { video: number; audio: number; rtcp: number }): ChildProcess {
  const out = (kind: 'video' | 'audio', sel: 'v' | 'a') =>
    `[select=${sel}:f=rtp:ssrc=${INGEST[kind].ssrc}:payload_type=${INGEST[kind].payloadType}]` +
    `rtp://127.0.0.1:${ports[kind]}?rtcpport=${ports.rtcp}&pkt_size=1200`;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip,
    '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-f', 'tee', `${out('video', 'v')}|${out('audio', 'a')}`,
  ];
  return spawnTied('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
