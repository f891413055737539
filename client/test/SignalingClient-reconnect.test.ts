// Fast return after a server restart, on the wire: the reconnect policy's delays, and a real
// socket.io server on 127.0.0.1 that "crashes" (every TCP connection destroyed, the port closed,
// no goodbye) and listens again on the same port 2.5 s later. The client made by
// SignalingClient.connect() must be connected again within about a second of the server
// listening (median of 3, printed).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, describe, expect, it } from 'vitest';
import { SignalingClient } from '../src/signaling/SignalingClient.js';
import { FAST_DELAY_MS, FAST_WINDOW_MS, reconnectDelayMs, SLOW_DELAY_MS } from '../src/signaling/reconnectPolicy.js';

describe('reconnect policy', () => {
  it('tries at once, after ~300 ms, then every 0.5–1 s for a minute, then every 2.5–5 s, jittered', () => {
    const low = () => 0;
    const high = () => 0.999;
    expect(reconnectDelayMs(0, 0, high)).toBe(0);
    expect(reconnectDelayMs(1, 10, low)).toBe(300);
    expect(reconnectDelayMs(1, 10, high)).toBeLessThan(400);
    for (const attempt of [2, 3, 10, 50]) {
      expect(reconnectDelayMs(attempt, 5_000, low)).toBe(FAST_DELAY_MS.min);
      expect(reconnectDelayMs(attempt, 5_000, high)).toBeLessThanOrEqual(FAST_DELAY_MS.max);
    }
    expect(reconnectDelayMs(80, FAST_WINDOW_MS, low)).toBe(SLOW_DELAY_MS.min);
    expect(reconnectDelayMs(80, 3_600_000, high)).toBeLessThanOrEqual(SLOW_DELAY_MS.max);
    // Jitter: a hundred clients do not all pick the same moment.
    const picks = new Set(Array.from({ length: 100 }, () => reconnectDelayMs(5, 5_000)));
    expect(picks.size).toBeGreaterThan(20);
  });
});

/** A socket.io server on a fixed port that can die without a word and listen again. */
class CrashableServer {
  #http: HttpServer | undefined;
  #io: Server | undefined;
  readonly #tcp = new Set<NetSocket>();
  port = 0;

  /** Resolves when it listens, with the moment it did. */
  async listen(): Promise<number> {
    const http = createServer();
    http.on('connection', (s) => {
      this.#tcp.add(s);
      s.once('close', () => this.#tcp.delete(s));
    });
    this.#io = new Server(http);
    this.#http = http;
    await new Promise<void>((resolve) => http.listen(this.port, '127.0.0.1', resolve));
    this.port = (http.address() as AddressInfo).port;
    return Date.now();
  }

  /** As SIGKILL: every connection cut under socket.io, the port closed. */
  async crash(): Promise<void> {
    for (const s of this.#tcp) s.destroy();
    await new Promise<void>((resolve) => this.#http!.close(() => resolve()));
    this.#io!.removeAllListeners();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#io?.close(() => resolve()) ?? resolve());
  }
}

const waitForStatus = (client: SignalingClient, status: string, timeoutMs: number) =>
  new Promise<number>((resolve, reject) => {
    if (client.status === status) return resolve(Date.now());
    const timer = setTimeout(() => reject(new Error(`no "${status}" within ${timeoutMs} ms (now ${client.status})`)), timeoutMs);
    const off = client.onStatus((s) => {
      if (s !== status) return;
      clearTimeout(timer);
      off();
      resolve(Date.now());
    });
  });

describe('after a server crash and restart', () => {
  const server = new CrashableServer();
  let client: SignalingClient | undefined;
  afterAll(async () => {
    client?.close();
    await server.close();
  });

  it('a page is connected again about a second after the server listens (median of 3)', async () => {
    await server.listen();
    client = SignalingClient.connect('token', { url: `http://127.0.0.1:${server.port}` });
    await waitForStatus(client, 'connected', 10_000);
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      await server.crash();
      await waitForStatus(client, 'disconnected', 5_000);
      // Down as long as a real restart takes (2–3 s): the client is past its first quick tries.
      await new Promise((r) => setTimeout(r, 2_500));
      const listening = await server.listen();
      const back = await waitForStatus(client, 'connected', 15_000);
      times.push(back - listening);
    }
    const median = [...times].sort((a, b) => a - b)[1]!;
    console.log(`RECONNECT after listening: ${times.join(', ')} ms (median ${median} ms)`);
    // The fast tries come every 0.5–1 s: one lands within a second, plus the handshake.
    expect(median).toBeLessThanOrEqual(1_300);
    expect(Math.max(...times)).toBeLessThan(3_000);
  }, 60_000);
});
