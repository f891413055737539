import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TeleclassError } from '@teleclass/shared';
import { ffmpegFeedOnAir } from './ffmpegFeedOnAir.js';
import { ffmpegRtmpArgs, videoFigures } from './ffmpegRtmp.js';
import type { IngestService } from './IngestService.js';
import { readSdp, waitFor } from './RtmpListener.js';
import { RtpRelay } from './rtpRelay.js';
import { spawnTied } from './tiedSpawn.js';

interface Listener {
  readonly lectureId: string;
  readonly port: number;
  key: string;
  child?: ChildProcess;
  stopped: boolean;
}

/**
 * SRT for hardware encoders: one Debian ffmpeg listener per lecture (started when its
 * credentials are first asked for, on a port of SRT_MIN_PORT–SRT_MAX_PORT, started again after
 * each connection), encrypted with the lecture's ingest key as SRT passphrase, so an encoder
 * without the key never completes the handshake. What arrives goes on air as RTMP does.
 */
export class SrtListeners {
  readonly #listeners = new Map<string, Listener>();
  #closed = false;

  constructor(
    private readonly ingest: IngestService,
    private readonly range: { min: number; max: number },
    private readonly host: string,
  ) {}

  /** The lecture's SRT caller URL (starting its listener if needed); undefined when no port is free. */
  async url(lectureId: string, publicHost: string): Promise<string | undefined> {
    const listener = this.#listeners.get(lectureId) ?? (await this.#open(lectureId));
    if (!listener) return undefined;
    const key = await this.ingest.keys.key(lectureId);
    if (listener.key !== key) {
      listener.key = key; // rotated: the listener starts again with the new passphrase
      listener.child?.kill('SIGKILL');
    }
    return `srt://${publicHost}:${listener.port}?passphrase=${key}`;
  }

  close(): void {
    this.#closed = true;
    for (const l of this.#listeners.values()) {
      l.stopped = true;
      l.child?.kill('SIGKILL');
    }
  }

  async #open(lectureId: string): Promise<Listener | undefined> {
    const used = new Set([...this.#listeners.values()].map((l) => l.port));
    for (let port = this.range.min; port <= this.range.max && port > 0; port++) {
      if (used.has(port) || !(await udpFree(port, this.host))) continue;
      const key = await this.ingest.keys.key(lectureId);
      // After the awaits: another request may have opened it meanwhile.
      if (this.#listeners.has(lectureId)) return this.#listeners.get(lectureId);
      const listener: Listener = { lectureId, port, key, stopped: this.#closed };
      this.#listeners.set(lectureId, listener);
      void this.#run(listener);
      return listener;
    }
    this.ingest.log.warn({ lectureId }, 'no free SRT port: SRT_MIN_PORT–SRT_MAX_PORT are all taken');
    return undefined;
  }

  async #run(l: Listener): Promise<void> {
    if (l.stopped) return;
    const log = this.ingest.log.child({ protocol: 'srt', lectureId: l.lectureId, port: l.port });
    const [video, audio] = await Promise.all([RtpRelay.open(), RtpRelay.open()]);
    if (l.stopped) return void (video.close(), audio.close()); // closed meanwhile: no orphan ffmpeg
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-srt-'));
    const sdpFile = path.join(dir, 'feed.sdp');
    const ssrc = { video: randomInt(1, 2 ** 31), audio: randomInt(1, 2 ** 31) };
    const input = `srt://${this.host}:${l.port}?mode=listener&passphrase=${l.key}`;
    const child = spawnTied('ffmpeg', ffmpegRtmpArgs({ input, inputOptions: [], videoPort: video.port, audioPort: audio.port, videoSsrc: ssrc.video, audioSsrc: ssrc.audio, sdpFile }), { stdio: ['ignore', 'ignore', 'pipe'] });
    l.child = child;
    let exited = false;
    const close = () => child.kill('SIGKILL');
    let figures: ReturnType<typeof videoFigures>;
    createInterface({ input: child.stderr! }).on('line', (line) => (figures ??= videoFigures(line)));
    child.once('exit', () => {
      exited = true;
      video.close();
      audio.close();
      rmSync(dir, { recursive: true, force: true });
      if (!l.stopped) setTimeout(() => void this.#run(l), 500).unref();
    });
    // Listening until an encoder connects: then ffmpeg writes the SDP of what it sends.
    for (;;) {
      const sdp = await waitFor(() => exited || readSdp(sdpFile), 60_000, 250);
      if (exited || l.stopped) return;
      if (typeof sdp !== 'string') continue;
      try {
        await ffmpegFeedOnAir(this.ingest, 'srt', l.lectureId, sdp, { video, audio }, ssrc, figures, close);
        log.info({ figures }, 'SRT studio feed connected');
      } catch (error) {
        const code = error instanceof TeleclassError ? error.code : 'INTERNAL';
        log.warn({ code, err: error }, code === 'FEED_BUSY' ? 'second studio feed refused: one is live (409)' : 'SRT studio feed failed');
        close();
      }
      return;
    }
  }
}

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, host === '0.0.0.0' || host === '::' ? undefined : host, () => socket.close(() => resolve(true)));
  });
}
