import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { lectureIdSchema, TeleclassError } from '@teleclass/shared';
import { ffmpegRtmpArgs, publishedName, videoFigures } from './ffmpegRtmp.js';
import { ffmpegFeedOnAir } from './ffmpegFeedOnAir.js';
import type { IngestService } from './IngestService.js';
import { RtpRelay } from './rtpRelay.js';
import { spawnTied } from './tiedSpawn.js';

/** How long an encoder may take from connecting to having its streams described by ffmpeg. */
const SETUP_MS = 15_000;
/** The stream name ffmpeg is told to expect: never a real key, so it always names the one it got. */
const EXPECTED = 'teleclass-expects-a-key';

/**
 * RTMP for hardware encoders and vMix. One TCP port for every lecture; each encoder that connects
 * gets its own ffmpeg (`-listen 1` on a free loopback port, started on demand) and its bytes are
 * passed through unchanged. ffmpeg names the stream key the encoder published; a wrong key is
 * refused (logged, the connection and ffmpeg closed) before anything is produced. With the right
 * key the H.264 (copied) and Opus (from AAC) RTP go through relays into PlainTransports of the
 * lecture's `studio-feed` peer.
 */
export class RtmpListener {
  readonly #server = net.createServer((socket) => void this.#accept(socket));
  readonly #children = new Set<ChildProcess>();

  constructor(private readonly ingest: IngestService) {}

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#server.on('error', (error) => this.ingest.log.error({ err: error }, 'RTMP listener failed'));
    return (this.#server.address() as net.AddressInfo).port;
  }

  close(): void {
    this.#server.close();
    for (const child of this.#children) child.kill('SIGKILL');
  }

  async #accept(client: net.Socket): Promise<void> {
    const log = this.ingest.log.child({ protocol: 'rtmp', address: client.remoteAddress });
    client.pause();
    client.on('error', () => undefined);
    const ffPort = await freePort();
    const [video, audio] = await Promise.all([RtpRelay.open(), RtpRelay.open()]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-rtmp-'));
    const sdpFile = path.join(dir, 'feed.sdp');
    const ssrc = { video: randomInt(1, 2 ** 31), audio: randomInt(1, 2 ** 31) };
    const child = spawnTied('ffmpeg', ffmpegRtmpArgs({
      input: `rtmp://127.0.0.1:${ffPort}/live/${EXPECTED}`, inputOptions: ['-listen', '1'],
      videoPort: video.port, audioPort: audio.port, videoSsrc: ssrc.video, audioSsrc: ssrc.audio, sdpFile,
    }), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#children.add(child);
    let upstream: net.Socket | undefined;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      child.kill('SIGKILL');
      client.destroy();
      upstream?.destroy();
      video.close();
      audio.close();
      rmSync(dir, { recursive: true, force: true });
    };
    child.once('exit', () => {
      this.#children.delete(child);
      close();
    });
    client.once('close', () => setTimeout(close, 500).unref()); // ffmpeg ends by itself; this is a backstop
    const setup = setTimeout(() => (log.warn('RTMP encoder did not start a stream in time'), close()), SETUP_MS).unref();

    let lectureId: string | undefined;
    let figures: ReturnType<typeof videoFigures>;
    let checking = false;
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      figures ??= videoFigures(line);
      const name = publishedName(line);
      if (name === undefined || lectureId !== undefined || checking) return;
      const [id = '', key] = name.split('.');
      checking = true;
      const valid = lectureIdSchema.safeParse(id).success ? this.ingest.keys.check(id, key) : Promise.resolve(false);
      valid.then(
        (ok) => {
          if (ok) return void (lectureId = id);
          log.warn({ lectureId: id.slice(0, 64) }, 'studio feed refused: wrong or missing ingest key (401)');
          close();
        },
        (error: unknown) => {
          log.error({ err: error }, 'studio feed refused: the ingest key could not be checked');
          close();
        },
      );
    });
    try {
      upstream = await connectWithRetry(ffPort, 5000);
    } catch {
      log.error('ffmpeg did not listen for the RTMP encoder');
      return close();
    }
    upstream.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
    client.resume();

    const described = await waitFor(() => closed || (lectureId !== undefined && readSdp(sdpFile)), SETUP_MS);
    clearTimeout(setup);
    if (closed || !lectureId || !described) return close();
    try {
      await ffmpegFeedOnAir(this.ingest, 'rtmp', lectureId, readSdp(sdpFile)!, { video, audio }, ssrc, figures, close);
      log.info({ lectureId, figures }, 'RTMP studio feed connected');
    } catch (error) {
      const code = error instanceof TeleclassError ? error.code : 'INTERNAL';
      log.warn({ lectureId, code, err: error }, code === 'FEED_BUSY' ? 'second studio feed refused: one is live (409)' : 'RTMP studio feed failed');
      close();
      this.ingest.release(lectureId);
    }
  }
}

export function readSdp(file: string): string | undefined {
  try {
    const sdp = readFileSync(file, 'utf8');
    return /m=video/.test(sdp) ? sdp : undefined;
  } catch {
    return undefined;
  }
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs: number, everyMs = 50): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function connectWithRetry(port: number, timeoutMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
