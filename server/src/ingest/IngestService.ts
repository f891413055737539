import { EventEmitter } from 'node:events';
import type { IngestCredentials, StudioFeedState } from '@teleclass/shared';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import { IngestKeys } from './IngestKeys.js';
import type { SrtListeners } from './SrtListeners.js';
import { StudioFeed } from './StudioFeed.js';

export interface IngestOptions {
  registry: LectureRegistry;
  store: Store;
  secret: string;
  logger: Logger;
  whipIceConsentTimeout: number;
}

/**
 * The studio feeds of every open lecture, their keys and where encoders send them. One
 * StudioFeed per open room, made on first use, closed with the room.
 */
export class IngestService extends EventEmitter<{ changed: [lectureId: string, StudioFeedState] }> {
  readonly keys: IngestKeys;
  readonly log: Logger;
  readonly registry: LectureRegistry;
  readonly whipIceConsentTimeout: number;
  /** The RTMP listener's port once it listens (0 before). */
  rtmpPort = 0;
  /** The SRT listeners (unset: SRT is off). */
  srt: SrtListeners | undefined;
  readonly #feeds = new Map<LectureRoom, StudioFeed>();

  constructor(options: IngestOptions) {
    super();
    this.keys = new IngestKeys(options.secret, options.store);
    this.log = options.logger.child({ component: 'ingest' });
    this.registry = options.registry;
    this.whipIceConsentTimeout = options.whipIceConsentTimeout;
    // A connected feed keeps its lecture's room open with nobody in it; once it ends, the room may close.
    options.registry.holdOpen((lectureId) => this.#connected(lectureId));
    options.registry.on('roomclosed', (room) => {
      this.#feeds.get(room)?.close();
      this.#feeds.delete(room);
    });
  }

  /** The lecture's feed (opening the lecture's room: a feed may connect before anyone joins). */
  async feedOf(lectureId: string): Promise<StudioFeed> {
    const room = await this.registry.getOrCreate(lectureId);
    let feed = this.#feeds.get(room);
    if (!feed) {
      feed = new StudioFeed(room, this.log);
      feed.on('changed', (state) => {
        this.emit('changed', lectureId, state);
        if (!state.feed) this.release(lectureId);
      });
      this.#feeds.set(room, feed);
    }
    return feed;
  }

  /** Closes the lecture's room if nobody is in it and no feed is connected (a feed ended, an offer failed). */
  release(lectureId: string): void {
    setImmediate(() => this.registry.releaseIfEmpty(lectureId));
  }

  #connected(lectureId: string): boolean {
    const room = this.registry.get(lectureId);
    return !!room && this.#feeds.get(room)?.connection !== undefined;
  }

  /** The feed's state without opening anything. */
  stateOf(lectureId: string): StudioFeedState {
    const room = this.registry.get(lectureId);
    return (room && this.#feeds.get(room)?.state()) ?? { feed: null, program: 'browser' };
  }

  /** Where encoders send the lecture's program; `base` is the server's https:// origin. */
  async credentials(lectureId: string, base: string): Promise<IngestCredentials> {
    const key = await this.keys.key(lectureId);
    const host = new URL(base).hostname;
    const rtmpHost = host.includes(':') ? `[${host}]` : host;
    return {
      whip: { url: `${base}/whip/${encodeURIComponent(lectureId)}`, token: key },
      rtmp: { url: `rtmp://${rtmpHost}:${this.rtmpPort}/live`, streamKey: `${lectureId}.${key}` },
      ...(this.srt && { srt: await this.srt.url(lectureId, rtmpHost).then((url) => (url ? { url } : undefined)) }),
    };
  }

  close(): void {
    this.srt?.close();
    for (const feed of this.#feeds.values()) feed.close();
    this.#feeds.clear();
  }
}
