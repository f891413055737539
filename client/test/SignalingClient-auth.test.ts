// The join token on the wire, against a real socket.io server with an auth middleware on
// 127.0.0.1: refused handshakes carry their code, the token can be swapped for reconnects, and a
// connection the server closed is opened again.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, TeleclassError, type ErrorCode } from '@teleclass/shared';
import { refusalOf, SignalingClient } from '../src/signaling/SignalingClient.js';

let http: HttpServer;
let server: Server;
let url: string;
/** The token of every handshake the server accepted, in order. */
const accepted: string[] = [];
const sockets: ServerSocket[] = [];
const clients: SignalingClient[] = [];

beforeAll(async () => {
  http = createServer();
  server = new Server(http);
  server.use((socket, next) => {
    const token = String((socket.handshake.auth as Record<string, unknown>)['token'] ?? '');
    if (token.startsWith('refuse:')) {
      const code = token.slice('refuse:'.length) as ErrorCode;
      next(Object.assign(new Error(code), { data: { code, message: ERROR_CODES[code] ?? 'unknown' } }));
      return;
    }
    accepted.push(token);
    next();
  });
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('leave', (_payload: unknown, ack: (a: unknown) => void) => ack({ ok: true, data: {} }));
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

function client(token: string): SignalingClient {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 50, reconnectionDelayMax: 100 });
  const c = new SignalingClient(socket, { validate: true });
  clients.push(c);
  return c;
}

const until = (c: SignalingClient, status: string) =>
  new Promise<void>((resolve) => {
    if (c.status === status) return resolve();
    const off = c.onStatus((s) => {
      if (s === status) {
        off();
        resolve();
      }
    });
  });

describe('SignalingClient with a join token', () => {
  it('connects with the token in the handshake', async () => {
    const c = client('good-1');
    await until(c, 'connected');
    expect(accepted).toContain('good-1');
    await expect(c.request('leave', {})).resolves.toEqual({});
  });

  it.each(['UNAUTHORIZED', 'TOKEN_EXPIRED', 'NOT_FOUND', 'REMOVED'] as const)('reports a %s refusal and fails requests with it', async (code) => {
    const c = client(`refuse:${code}`);
    const refused = await new Promise<TeleclassError>((resolve) => c.onRefused(resolve));
    expect(refused.code).toBe(code);
    expect(c.refusal?.code).toBe(code);
    await expect(c.request('leave', {})).rejects.toMatchObject({ code });
  });

  it('fails a request sent before the refusal with the refusal code', async () => {
    const c = client('refuse:TOKEN_EXPIRED');
    await expect(c.request('leave', {})).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('presents the swapped token when it reconnects', async () => {
    const c = client('shared-link');
    await until(c, 'connected');
    c.setToken('personal');
    sockets.at(-1)!.conn.close(); // the network drops: socket.io reconnects by itself
    await until(c, 'disconnected');
    await until(c, 'connected');
    expect(accepted.at(-1)).toBe('personal');
  });

  it('connects again after the server closed the connection itself', async () => {
    const c = client('kicked');
    await until(c, 'connected');
    const before = accepted.length;
    sockets.at(-1)!.disconnect(true);
    await until(c, 'disconnected');
    await until(c, 'connected');
    expect(accepted.length).toBe(before + 1);
  });
});

describe('refusalOf', () => {
  it('reads the code of a refused handshake and ignores network failures', () => {
    expect(refusalOf({ data: { code: 'REMOVED', message: 'x' } })?.code).toBe('REMOVED');
    expect(refusalOf({ data: { code: 'NO_SUCH_CODE' } })?.code).toBe('UNAUTHORIZED');
    expect(refusalOf({})).toBeNull();
    expect(refusalOf({ data: 'text' })).toBeNull();
    expect(refusalOf(undefined)).toBeNull();
  });
});
