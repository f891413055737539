import type { ServerResponse } from 'node:http';
import { TeleclassError, type ProducerView } from '@teleclass/shared';
import type { LectureMedia } from '../../media/LectureMedia.js';
import { EVENT_PING_MS, type CascadeEvent } from './protocol.js';

/** How long a new link waits for its downstream node to follow its event stream before it closes. */
const ATTACH_TIMEOUT_MS = 10_000;

/**
 * The upstream end of one link: a downstream node's pipe for one lecture, and the stream that
 * tells it which producers to pull (every producer of the lecture except those it sent here),
 * when they pause and when they close. The link lives as long as that stream: when the
 * downstream node goes (its connection closes, or the registry forgets it) the pipe closes, and
 * with it every producer it sent here and every copy sent down.
 */
export class DownstreamLink {
  #stream: ServerResponse | undefined;
  #ping: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #attachTimer: NodeJS.Timeout;
  readonly #listeners: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly nodeId: string,
    readonly lectureId: string,
    private readonly media: LectureMedia,
    private readonly onClosed: (link: DownstreamLink) => void,
  ) {
    this.#attachTimer = setTimeout(() => this.close(), ATTACH_TIMEOUT_MS);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The downstream node follows the link's events (once): what is there now, then every change. */
  follow(res: ServerResponse): void {
    if (this.#closed) throw new TeleclassError('NOT_FOUND', 'This link closed.');
    if (this.#stream) throw new TeleclassError('INVALID_STATE', 'This link is followed already.');
    clearTimeout(this.#attachTimer);
    this.#stream = res;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.socket?.setKeepAlive(true, EVENT_PING_MS);
    res.socket?.setNoDelay(true);
    res.on('close', () => this.close());
    const forUs = (producerId: string) => this.media.producerVia(producerId) !== this.nodeId;
    const on = <E extends 'produceradded' | 'producerclosed' | 'producerpaused'>(event: E, listener: (...args: never[]) => void) => {
      this.media.on(event, listener as never);
      this.#listeners.push(() => this.media.off(event, listener as never));
    };
    on('produceradded', (view: ProducerView) => forUs(view.id) && this.#send({ op: 'added', id: view.id }));
    on('producerclosed', (producerId: string) => this.#send({ op: 'closed', id: producerId }));
    on('producerpaused', (producerId: string, paused: boolean) => forUs(producerId) && this.#send({ op: 'paused', id: producerId, paused }));
    for (const view of this.media.producers()) if (forUs(view.id)) this.#send({ op: 'added', id: view.id });
    this.#ping = setInterval(() => res.write(': ping\n\n'), EVENT_PING_MS);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#attachTimer);
    clearInterval(this.#ping);
    for (const off of this.#listeners.splice(0)) off();
    this.media.pipes.close(this.id);
    if (this.#stream && !this.#stream.writableEnded) this.#stream.end();
    this.onClosed(this);
  }

  #send(event: CascadeEvent): void {
    if (!this.#closed) this.#stream?.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}
