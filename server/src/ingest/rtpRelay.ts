import dgram from 'node:dgram';

/**
 * A UDP port on 127.0.0.1 that forwards what it receives (RTP and RTCP) to a target port, once
 * one is set; before that, packets are dropped. ffmpeg is started before the lecture (and so
 * the PlainTransport) is known, so it sends here; the relay keeps one source address for the
 * PlainTransport's comedia whatever ffmpeg does.
 */
export class RtpRelay {
  readonly #socket = dgram.createSocket('udp4');
  #target = 0;

  static async open(): Promise<RtpRelay> {
    const relay = new RtpRelay();
    await new Promise<void>((resolve, reject) => {
      relay.#socket.once('error', reject);
      relay.#socket.bind(0, '127.0.0.1', () => resolve());
    });
    relay.#socket.on('message', (msg) => {
      if (relay.#target) relay.#socket.send(msg, relay.#target, '127.0.0.1');
    });
    relay.#socket.on('error', () => undefined);
    return relay;
  }

  get port(): number {
    return this.#socket.address().port;
  }

  forwardTo(port: number): void {
    this.#target = port;
  }

  close(): void {
    try {
      this.#socket.close();
    } catch {
      // already closed
    }
  }
}
