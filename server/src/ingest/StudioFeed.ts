import { EventEmitter } from 'node:events';
import { FEED_PEER_ID, TeleclassError, type FeedProtocol, type FeedView, type Program, type StudioFeedState } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import type { Logger } from '../logger.js';

/** One connected encoder: its streams are the media of the `studio-feed` peer. */
export interface FeedConnection {
  readonly protocol: FeedProtocol;
  /** The WHIP resource id, or the RTMP/SRT session's. */
  readonly id: string;
  readonly producerIds: string[];
  videoCodec: string | null;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
  /** Ends the connection (the encoder is dropped; its streams close). */
  close(): void;
}

/** How often the studio hears the feed's figures. */
const FIGURES_MS = 2000;
/** Browser sources the feed replaces while it is on air. */
const REPLACED = ['camera', 'microphone'] as const;

/**
 * A lecture's studio feed and its program. A feed that connects when none was there goes on air:
 * the trainer's browser camera and microphone are paused on the server (and stay paused while the
 * feed is the program), so viewers get the feed as the trainer's picture and sound. The trainer
 * switches back with `setProgram('browser')`; a feed that ends (DELETE, encoder gone) hands the
 * program back. A feed whose media stops is `interrupted` (viewers keep the last frame and are
 * told); a new connection then replaces it and keeps the program as it was.
 */
export class StudioFeed extends EventEmitter<{ changed: [StudioFeedState] }> {
  readonly #room: LectureRoom;
  readonly #log: Logger;
  #feed: FeedConnection | undefined;
  #since = 0;
  #program: Program = 'browser';
  #flowing = true;
  #bitrate = 0;
  /** The trainer's producers paused by the program switch (resumed when the browser is back on air). */
  readonly #pausedByUs = new Set<string>();
  readonly #timer: NodeJS.Timeout;
  readonly #detach: (() => void)[] = [];

  constructor(room: LectureRoom, logger: Logger) {
    super();
    this.#room = room;
    this.#log = logger.child({ component: 'StudioFeed', lectureId: room.lecture.id });
    this.#timer = setInterval(() => void this.#figures(), FIGURES_MS).unref();
    const { media } = room;
    const onHealth = (producerId: string, flowing: boolean) => this.#onHealth(producerId, flowing);
    const onAdded = () => void this.#enforce();
    const onClosed = (producerId: string, peerId: string) => {
      if (peerId === FEED_PEER_ID && this.#feed?.producerIds.includes(producerId)) this.end(this.#feed.id, 'its streams ended');
    };
    media.on('producerhealth', onHealth);
    media.on('produceradded', onAdded);
    media.on('producerclosed', onClosed);
    media.on('producerpaused', onAdded); // the trainer unmuting while the feed is on air stays paused
    this.#detach.push(
      () => media.off('producerpaused', onAdded),
      () => media.off('producerhealth', onHealth),
      () => media.off('produceradded', onAdded),
      () => media.off('producerclosed', onClosed),
    );
  }

  get connection(): FeedConnection | undefined {
    return this.#feed;
  }

  state(): StudioFeedState {
    return { feed: this.#view(), program: this.#program };
  }

  /**
   * Makes room for a new connection: FEED_BUSY (409) while a feed is connected and its media
   * arrives; an interrupted one is dropped. Returns whether one was replaced.
   */
  admit(protocol: FeedProtocol): boolean {
    const old = this.#feed;
    if (old && this.#flowing) throw new TeleclassError('FEED_BUSY', `A studio feed (${old.protocol.toUpperCase()}) is already live for this lecture.`);
    if (old) {
      this.#log.info({ old: old.protocol, protocol }, 'an interrupted studio feed is replaced by a new connection');
      this.#feed = undefined;
      old.close();
    }
    this.#room.media.closePeer(FEED_PEER_ID); // anything a dropped encoder left behind
    return old !== undefined;
  }

  /** A connection whose streams are produced: it is the feed now (on air unless it replaced one the trainer took off air). */
  attach(conn: FeedConnection, replaced: boolean): void {
    this.#feed = conn;
    this.#since = Date.now();
    this.#flowing = true;
    this.#bitrate = 0;
    if (!replaced) this.#program = 'feed';
    this.#log.info({ protocol: conn.protocol, id: conn.id, program: this.#program }, 'studio feed connected');
    void this.#enforce().then(() => this.#changed());
  }

  /** The feed ended (DELETE, the encoder left): the browser is the program again. */
  end(id: string, reason: string): void {
    const feed = this.#feed;
    if (!feed || feed.id !== id) return;
    this.#feed = undefined;
    this.#log.info({ protocol: feed.protocol, id, reason }, 'studio feed ended');
    feed.close();
    this.#room.media.closePeer(FEED_PEER_ID);
    this.#program = 'browser';
    void this.#enforce().then(() => this.#changed());
  }

  async setProgram(program: Program): Promise<StudioFeedState> {
    if (program === 'feed' && !this.#feed) throw new TeleclassError('INVALID_STATE', 'No studio feed is connected.');
    this.#program = program;
    this.#log.info({ program }, 'program switched');
    await this.#enforce();
    this.#changed();
    return this.state();
  }

  /** The trainer's producers a new one of theirs must be created paused as (the feed is on air). */
  replacesBrowser(): boolean {
    return this.#program === 'feed' && this.#feed !== undefined;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const off of this.#detach.splice(0)) off();
    const feed = this.#feed;
    this.#feed = undefined;
    feed?.close();
    this.removeAllListeners();
  }

  /** Pauses and resumes so that only the program's camera and microphone flow. */
  async #enforce(): Promise<void> {
    const { media, lecture } = this.#room;
    const feedOnAir = this.replacesBrowser();
    const trainer = lecture.trainer;
    const jobs: Promise<unknown>[] = [];
    if (trainer) {
      for (const source of REPLACED) {
        const p = media.producerOf(trainer.id, source);
        if (!p) continue;
        if (feedOnAir && !p.paused) {
          this.#pausedByUs.add(p.id);
          jobs.push(media.setProducerPaused(trainer.id, p.id, true));
        } else if (!feedOnAir && this.#pausedByUs.delete(p.id) && p.paused) {
          jobs.push(media.setProducerPaused(trainer.id, p.id, false));
        }
      }
    }
    for (const id of this.#feed?.producerIds ?? []) {
      const p = media.producers().find((x) => x.id === id);
      if (p && p.paused === feedOnAir) jobs.push(media.setProducerPaused(FEED_PEER_ID, id, !feedOnAir));
    }
    await Promise.allSettled(jobs);
  }

  #onHealth(producerId: string, flowing: boolean): void {
    const feed = this.#feed;
    if (!feed?.producerIds.includes(producerId)) return;
    const all = feed.producerIds.map((id) => this.#room.media.producers().find((p) => p.id === id)?.flowing ?? false);
    const now = all.some(Boolean);
    if (now === this.#flowing) return;
    this.#flowing = now;
    if (now) this.#log.info({ protocol: feed.protocol }, 'studio feed resumed');
    else this.#log.warn({ protocol: feed.protocol }, 'studio feed interrupted: its media stopped arriving');
    this.#changed();
  }

  async #figures(): Promise<void> {
    const feed = this.#feed;
    if (!feed) return;
    const rates = await Promise.all(feed.producerIds.map((id) => this.#room.media.producerBitrate(id)));
    this.#bitrate = rates.reduce((a, b) => a + b, 0);
    if (this.#feed === feed) this.#changed();
  }

  #view(): FeedView | null {
    const feed = this.#feed;
    if (!feed) return null;
    return {
      protocol: feed.protocol,
      state: this.#flowing ? 'live' : 'interrupted',
      onAir: this.#program === 'feed',
      since: this.#since,
      videoCodec: feed.videoCodec,
      width: feed.width ?? null,
      height: feed.height ?? null,
      fps: feed.fps ?? null,
      bitrate: this.#bitrate,
    };
  }

  #changed(): void {
    this.emit('changed', this.state());
  }
}
