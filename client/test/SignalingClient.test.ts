// The wire against a real socket.io server on 127.0.0.1: answers, error codes, timeouts, lost
// connections and typed notifications.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TeleclassError, type LectureView } from '@teleclass/shared';
import { SignalingClient } from '../src/signaling/SignalingClient.js';

const lecture: LectureView = {
  id: 'demo',
  title: 'Demo',
  scheduledStart: '2026-03-02T06:00:00.000Z',
  state: 'live',
  locked: false,
  stageSize: 1,
  recordingSince: null,
  startedAt: 1_700_000_000_000,
  endedAt: null,
  counts: { trainers: 1, sites: 2, attendees: 3 },
};

let http: HttpServer;
let server: Server;
let url: string;
const serverSockets: ServerSocket[] = [];
const clients: SignalingClient[] = [];

type AckFn = (ack: unknown) => void;

beforeAll(async () => {
  http = createServer();
  server = new Server(http);
  server.on('connection', (socket) => {
    serverSockets.push(socket);
    socket.on('startLecture', (_payload: unknown, ack: AckFn) => ack({ ok: true, data: lecture }));
    socket.on('endLecture', (_payload: unknown, ack: AckFn) =>
      ack({ ok: false, error: { code: 'FORBIDDEN', message: 'Your role does not allow this.' } }),
    );
    socket.on('leave', () => {
      /* never answers */
    });
    socket.on('resumeConsumer', (_payload: unknown, ack: AckFn) => ack({ ok: true, data: { unexpected: 1 } }));
    socket.on('setViewport', (_payload: unknown, ack: AckFn) => ack({ ok: true, data: { unexpected: 1 } }));
    socket.on('pauseConsumer', (_payload: unknown, ack: AckFn) =>
      ack({ ok: false, error: { code: 'SOMETHING_NEW', message: 'from a newer server' } }),
    );
    socket.on('closeConsumer', (payload: unknown, ack: AckFn) => {
      // Echo the payload back as a notification, then answer.
      socket.emit('producerPaused', payload);
      ack({ ok: true, data: {} });
    });
    socket.on('restartIce', () => socket.disconnect(true));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function connected(options: { timeoutMs?: number; validate?: boolean } = {}): Promise<SignalingClient> {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  const client = new SignalingClient(socket, { validate: true, ...options });
  clients.push(client);
  if (client.status !== 'connected') {
    await new Promise<void>((resolve) => {
      const off = client.onStatus((status) => {
        if (status === 'connected') {
          off();
          resolve();
        }
      });
    });
  }
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<TeleclassError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TeleclassError);
    return error as TeleclassError;
  }
  throw new Error('expected a rejection');
}

describe('SignalingClient', () => {
  it('resolves with the answer of an ok ack', async () => {
    const client = await connected();
    await expect(client.request('startLecture', {})).resolves.toEqual(lecture);
  });

  it('rejects with the server error code of a failed ack', async () => {
    const client = await connected();
    const error = await rejection(client.request('endLecture', {}));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('Your role does not allow this.');
  });

  it('maps an unknown error code to INTERNAL, keeping the message', async () => {
    const client = await connected();
    const error = await rejection(client.request('pauseConsumer', { consumerId: 'c1' }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('from a newer server');
  });

  it('times out with TIMEOUT when no ack comes, once, without retrying', async () => {
    const client = await connected({ timeoutMs: 150 });
    let received = 0;
    serverSockets.at(-1)!.on('leave', () => received++);
    const started = Date.now();
    const error = await rejection(client.request('leave', {}));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toBe(1);
  });

  it('honours a per-request timeout', async () => {
    const client = await connected({ timeoutMs: 10_000 });
    const error = await rejection(client.request('leave', {}, { timeoutMs: 100 }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('rejects an answer that does not fit the protocol when validating', async () => {
    const client = await connected();
    const originalError = console.error;
    console.error = () => {};
    try {
      // setViewport answers { spatialLayer }; `{}` answers tolerate extra fields (answers may grow).
      const error = await rejection(client.request('setViewport', { consumerId: 'c1', width: 640, height: 360 }));
      expect(error.code).toBe('INTERNAL');
    } finally {
      console.error = originalError;
    }
  });

  it('passes answers through unchecked when not validating', async () => {
    const client = await connected({ validate: false });
    await expect(client.request('resumeConsumer', { consumerId: 'c1' })).resolves.toEqual({ unexpected: 1 });
  });

  it('fails requests in flight with DISCONNECTED when the connection drops, and later ones at once', async () => {
    const client = await connected({ timeoutMs: 10_000 });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    const pending = client.request('leave', {});
    serverSockets.at(-1)!.disconnect(true);
    expect((await rejection(pending)).code).toBe('DISCONNECTED');
    expect(client.status).toBe('disconnected');
    expect(statuses).toContain('disconnected');
    const started = Date.now();
    expect((await rejection(client.request('startLecture', {}))).code).toBe('DISCONNECTED');
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('fails everything with DISCONNECTED after close()', async () => {
    const client = await connected();
    const pending = client.request('leave', {});
    client.close();
    expect(client.status).toBe('closed');
    expect((await rejection(pending)).code).toBe('DISCONNECTED');
    expect((await rejection(client.request('startLecture', {}))).code).toBe('DISCONNECTED');
  });

  it('delivers valid notifications and drops malformed ones when validating', async () => {
    const client = await connected();
    const seen: unknown[] = [];
    const off = client.on('producerPaused', (data) => seen.push(data));
    const originalError = console.error;
    console.error = () => {};
    try {
      await client.request('closeConsumer', { consumerId: 'c1' }); // echoes { consumerId } as producerPaused: malformed
      await client.request('closeConsumer', { producerId: 'p1', paused: true } as never);
    } finally {
      console.error = originalError;
    }
    expect(seen).toEqual([{ producerId: 'p1', paused: true }]);
    off();
    await client.request('closeConsumer', { producerId: 'p2', paused: false } as never);
    expect(seen).toHaveLength(1);
  });

  it('waits for the first connection before sending (socket.io buffers it)', async () => {
    const socket = io(url, { transports: ['websocket'], reconnection: false });
    const client = new SignalingClient(socket, { validate: true });
    clients.push(client);
    expect(client.status).toBe('connecting');
    await expect(client.request('startLecture', {})).resolves.toEqual(lecture);
    expect(client.status).toBe('connected');
  });
});
