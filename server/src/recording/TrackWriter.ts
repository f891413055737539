import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import type { RecordingTap } from '../media/RecordingTap.js';
import { freeUdpPortPair, udpPortBound } from './udpPorts.js';

/**
 * Seconds without RTP after which ffmpeg ends a file by itself: a paused microphone, a producer
 * that closed, or a server that died (then no orphan ffmpeg is left behind).
 */
export const IDLE_TIMEOUT_S = 4;
const FFMPEG_STARTUP_MS = 300;
const KEY_FRAME_RETRIES_MS = [400, 1200, 2500];
/** ffmpeg reads 'q' between packets: a stream that went quiet ends by the idle timeout instead. */
const STOP_GRACE_MS = (IDLE_TIMEOUT_S + 2) * 1000;

/**
 * One ffmpeg writing one stream to disk as it arrives: RTP from a recording tap, copied into
 * Matroska (no transcoding). Clusters of at most a second are written out as they close, so a
 * file cut by a crash plays up to the cut.
 */
export class TrackWriter {
  #exited = false;
  #stoppedAt: number | null = null;
  /** When the file's first frame went out to ffmpeg (its time 0); never resolves for a silent stream. */
  firstMedia: Promise<number> = new Promise(() => undefined);
  readonly #exit: Promise<number | null>;

  private constructor(
    readonly file: string,
    private readonly child: ChildProcess,
    private readonly tap: RecordingTap,
  ) {
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.#exited = true;
        tap.close();
        resolve(code);
      });
    });
  }

  static async start(tap: RecordingTap, file: string, logger: Logger): Promise<TrackWriter> {
    const port = await freeUdpPortPair();
    const sdpFile = `${file}.sdp`;
    writeFileSync(sdpFile, tap.sdp(port));
    const child = spawn(
      'ffmpeg',
      [
        '-hide_banner', '-loglevel', 'error',
        '-listen_timeout', String(IDLE_TIMEOUT_S), '-localaddr', '127.0.0.1',
        '-protocol_whitelist', 'file,udp,rtp', '-i', sdpFile,
        '-map', '0', '-c', 'copy',
        '-f', 'matroska', '-cluster_time_limit', '1000', '-cluster_size_limit', '262144', '-flush_packets', '1',
        '-y', file,
      ],
      // stdin is how it is stopped: 'q' ends the file cleanly at once (a signal does not interrupt
      // the RTP demuxer while packets flow).
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    child.stdin?.on('error', () => undefined); // it may be gone already
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const writer = new TrackWriter(file, child, tap);
    void writer.#exit.then((code) => {
      if (writer.#stoppedAt === null && code !== 0) logger.warn({ file, code, stderr }, 'recording ffmpeg ended');
    });
    // RTP must not flow before ffmpeg has bound the port (what arrives earlier is lost, the first
    // key frame with it): wait until the kernel shows the port bound (or a fixed moment without
    // `ss`), start, then ask for key frames again so the file surely begins with a picture.
    const deadline = Date.now() + 5000;
    for (;;) {
      if (writer.#exited) throw new Error(`ffmpeg stopped at once for ${file}: ${stderr}`);
      const bound = await udpPortBound(port);
      if (bound === undefined) {
        await new Promise((r) => setTimeout(r, FFMPEG_STARTUP_MS));
        break;
      }
      if (bound) break;
      if (Date.now() > deadline) {
        await writer.stop();
        throw new Error(`ffmpeg did not listen for ${file}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const { firstMedia } = await tap.start(port);
    writer.firstMedia = firstMedia;
    for (const delay of KEY_FRAME_RETRIES_MS) {
      setTimeout(() => void tap.requestKeyFrame().catch(() => undefined), delay).unref();
    }
    return writer;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** When it was asked to stop; null when it ended by itself (after IDLE_TIMEOUT_S of quiet). */
  get stoppedAt(): number | null {
    return this.#stoppedAt;
  }

  /** Resolves when ffmpeg ended, whoever ended it. */
  get ended(): Promise<number | null> {
    return this.#exit;
  }

  get bytes(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  /**
   * Lets ffmpeg finish the file ('q' on its stdin; the tap stays open so the packets that wake it
   * keep coming), then makes sure it is gone.
   */
  async stop(): Promise<void> {
    this.#stoppedAt ??= Date.now();
    if (this.#exited) return;
    this.child.stdin?.end('q');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.#exit;
    clearTimeout(timer);
  }
}
