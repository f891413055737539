/**
 * Running ffmpeg and ffprobe (the Debian binaries on PATH): a promise per process, the tail of
 * stderr kept for error messages, `-progress pipe:1` parsed, an AbortSignal that kills the child.
 */
import { spawn } from 'node:child_process';

/** Why running ffmpeg/ffprobe failed. */
export type FfmpegErrorCode = 'FFMPEG_FAILED' | 'FFMPEG_ABORTED' | 'FFMPEG_MISSING';

export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    readonly code: FfmpegErrorCode,
    message: string,
    /** The last lines ffmpeg wrote to stderr. */
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

/** How much of stderr is kept (the end is what explains a failure). */
const STDERR_TAIL = 4000;

export interface RunOptions {
  signal?: AbortSignal;
  /** Each `key=value` line ffmpeg writes to stdout (`-progress pipe:1`). */
  onProgressLine?: (key: string, value: string) => void;
  /** Called with the child's pid once it runs. */
  onSpawn?: (pid: number) => void;
  /** Working folder of the child (relative names in filter graphs resolve there). */
  cwd?: string;
}

/** Runs `command args`; resolves with stdout, rejects with FfmpegError (stderr tail attached). */
export function run(command: 'ffmpeg' | 'ffprobe', args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new FfmpegError('FFMPEG_ABORTED', `${command} was aborted before it started`));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd && { cwd: options.cwd }) });
    let stdout = '';
    let pending = '';
    let stderr = '';
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (!options.onProgressLine) {
        stdout += chunk;
        return;
      }
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq > 0) options.onProgressLine(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.once('spawn', () => child.pid !== undefined && options.onSpawn?.(child.pid));
    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT'
          ? new FfmpegError('FFMPEG_MISSING', `${command} is not installed (apt-get install ffmpeg)`)
          : new FfmpegError('FFMPEG_FAILED', `${command} could not start: ${error.message}`),
      );
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      const tail = stderr.trim();
      if (options.signal?.aborted) {
        reject(new FfmpegError('FFMPEG_ABORTED', `${command} was stopped`, tail));
      } else if (code === 0) {
        resolve(stdout);
      } else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new FfmpegError('FFMPEG_FAILED', `${command} ${how}${tail ? `: ${tail.slice(-1500)}` : ''}`, tail));
      }
    });
  });
}

/**
 * A media file's duration in milliseconds, or null when it holds nothing playable. A file whose
 * writer was killed has no duration in its header: then its packets are read to find the end.
 */
export async function probeDurationMs(file: string, signal?: AbortSignal): Promise<number | null> {
  let info: { format?: { duration?: string }; streams?: { start_time?: string }[] };
  try {
    const out = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=start_time', '-of', 'json', file], { ...(signal && { signal }) });
    info = JSON.parse(out) as typeof info;
  } catch (error) {
    if (error instanceof FfmpegError && error.code !== 'FFMPEG_FAILED') throw error;
    return null; // missing, empty or not media at all
  }
  const duration = Number(info.format?.duration);
  if (Number.isFinite(duration) && duration > 0) return Math.round(duration * 1000);
  // No duration in the header (cut off): the last packet's end minus the first packet's start.
  const out = await run('ffprobe', ['-v', 'error', '-select_streams', '0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], {
    ...(signal && { signal }),
  }).catch((error: unknown) => {
    if (error instanceof FfmpegError && error.code !== 'FFMPEG_FAILED') throw error;
    return '';
  });
  let first = Infinity;
  let last = -Infinity;
  for (const line of out.split('\n')) {
    const [pts, dur] = line.split(',').map(Number);
    if (pts === undefined || !Number.isFinite(pts)) continue;
    first = Math.min(first, pts);
    last = Math.max(last, pts + (dur !== undefined && Number.isFinite(dur) ? dur : 0));
  }
  return last > first ? Math.round((last - first) * 1000) : null;
}

export interface FrameSize {
  /** Ms from the file's first frame. */
  atMs: number;
  width: number;
  height: number;
}

/**
 * A video file's picture size from each change on, read from its key frames only (a VP8 stream
 * changes size only at a key frame): cheap next to decoding every frame. Empty when unreadable.
 */
export async function probeKeyFrameSizes(file: string, signal?: AbortSignal, limit = 200): Promise<FrameSize[]> {
  const out = await run(
    'ffprobe',
    ['-v', 'error', '-skip_frame', 'nokey', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time,width,height', '-of', 'csv=p=0', file],
    { ...(signal && { signal }) },
  ).catch((error: unknown) => {
    if (error instanceof FfmpegError && error.code !== 'FFMPEG_FAILED') throw error;
    return '';
  });
  const sizes: FrameSize[] = [];
  let first: number | null = null;
  for (const line of out.split('\n')) {
    const m = /^([\d.]+),(\d+),(\d+)/.exec(line.trim());
    if (!m) continue;
    const t = Number(m[1]);
    first ??= t;
    const [width, height] = [Number(m[2]), Number(m[3])];
    const last = sizes.at(-1);
    if (last && last.width === width && last.height === height) continue;
    if (sizes.length >= limit) break;
    sizes.push({ atMs: Math.round((t - first) * 1000), width, height });
  }
  return sizes;
}
