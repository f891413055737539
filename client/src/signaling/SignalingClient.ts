/**
 * The wire: typed requests with an ack and a timeout, typed notifications. socket.io only; no
 * mediasoup, no React. A request is sent once: on a timeout or a lost connection it fails with
 * TIMEOUT or DISCONNECTED and the caller decides (non-idempotent requests such as `produce` must
 * not be repeated blindly).
 *
 * Every connection carries a join token (`auth: { token }`). A handshake the server refuses
 * (`connect_error` with `data: { code, message }`: UNAUTHORIZED, TOKEN_EXPIRED, NOT_FOUND,
 * REMOVED) is final: socket.io does not retry it, requests fail with that code, `onRefused`
 * listeners hear it. A lost connection is tried again by this class (reconnectPolicy.ts: at once,
 * after 300 ms, then every 0.5–1 s for a minute, then every 2.5–5 s), with the current token.
 * A try that hangs on a silent line is not left to its 5 s deadline once the line is back: see
 * LINE_PROBE.
 */
import { io, type Socket } from 'socket.io-client';
import { ignoreOfflineEvent } from './offlineEvent.js';
import type { Method, NotificationName, NotificationOf, RequestOf, ResponseOf } from '@teleclass/shared';
import { isErrorCode, TeleclassError, type ErrorCode } from '@teleclass/shared/errors';
import { checksAnswers, loadedProtocol, protocolSchemas, type Protocol } from '../devProtocol.js';
import { loadDeviceToken, saveDeviceToken } from './deviceToken.js';
import { reconnectDelayMs } from './reconnectPolicy.js';
import { NodeFailover } from './nodeFailover.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface SignalingOptions {
  /** Another server than the page's own origin (tests). */
  url?: string;
  /** Per-request answer deadline (default 10 s). */
  timeoutMs?: number;
  /**
   * Check answers and notifications against their schemas (default: development builds; a
   * production build has no schemas, devProtocol.ts, and fails every answer with INTERNAL).
   */
  validate?: boolean;
  /** Try a lost connection again by reconnectPolicy.ts (what connect() does; default false). */
  reconnect?: boolean;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** How long to wait before connecting again after the server closed the connection itself. */
export const SERVER_KICK_RETRY_MS = 2_000;
/**
 * socket.io's own reconnection is off: its exponential backoff (capped at 5 s) left pages up to
 * 5 s behind a restarted server. This class tries again itself (reconnectPolicy.ts), never giving up.
 */
export const RECONNECTION = {
  reconnection: false,
  /** A connection attempt that gets no answer is given up after this long (then tried again). */
  timeout: 5_000,
} as const;

/**
 * A try made while the line was silent (a regional line gone dark: no answer, no error) hangs in
 * the kernel's SYN back-off — its next SYN 1, 3, then 7 s after the first — and the line can come
 * back inside that wait: the page would then sit up to the try's 5 s deadline (and then the next
 * try's delay) with the server in reach. So while a try hangs, the page asks the server something
 * small on a fresh request (HEAD /healthz) every second; when that is answered — any status — and
 * the try has taken at least `slowerThan` times as long as the answer (a slow link's try is slow
 * too and is left alone: the WebSocket handshake needs about 4 round trips, the probe 1 to 3),
 * the hung try is dropped and a new one made at once — once per lost connection: a server that
 * answers small requests quickly but takes its time over a handshake (loaded, its store slow) is
 * then waited for, not asked again and again. Measured by e2e/silent-cut.test.ts.
 */
export const LINE_PROBE = { afterMs: 1_000, everyMs: 1_000, timeoutMs: 1_500, slowerThan: 8 } as const;

export class SignalingClient {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #validate: boolean;
  /** Rejecters of the requests still waiting for their ack. */
  readonly #pending = new Set<(error: TeleclassError) => void>();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();
  readonly #refusedListeners = new Set<(error: TeleclassError) => void>();
  #everConnected = false;
  #closed = false;
  #refusal: TeleclassError | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  readonly #reconnect: boolean;
  /** When the connection was lost (null while connected), and the tries made since. */
  #lostAt: number | null = null;
  #attempt = 0;
  /** Counts the tries (a probe's answer acts only on the try it was made for), and when the current one began. */
  #tries = 0;
  #triedAt = 0;
  #probe: ReturnType<typeof setTimeout> | null = null;
  /** A hung try was replaced since the connection was lost (LINE_PROBE acts once per loss). */
  #replaced = false;
  #auth: { token?: string; device?: string } = {};
  /** Run once on close (e.g. the page-hide listener goes, so a long-running kiosk keeps no dead clients). */
  readonly #onClose: (() => void)[] = [];

  /** A socket to the page's own origin (default path /socket.io), WebSocket only, with a join token. */
  static connect(token: string, options: SignalingOptions = {}): SignalingClient {
    const device = loadDeviceToken();
    const auth = { token, ...(device !== null && { device }) };
    const socketOptions = { transports: ['websocket'], auth, ...RECONNECTION };
    const socket = options.url === undefined ? io(socketOptions) : io(options.url, socketOptions);
    new NodeFailover(socket); // cluster mode: follows moveTo, and fails over when the node stops answering
    const client = new SignalingClient(socket, { reconnect: true, ...options });
    // A page closed or navigated away says goodbye: the server lets the participant go at once
    // instead of holding it for a resume (a lost network is held; a closed tab is not coming back).
    const onPageHide = () => client.close();
    globalThis.addEventListener?.('pagehide', onPageHide, { once: true });
    client.#onClose.push(() => globalThis.removeEventListener?.('pagehide', onPageHide));
    return client;
  }

  constructor(socket: Socket, options: SignalingOptions = {}) {
    this.#socket = socket;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#validate = options.validate ?? checksAnswers();
    if (this.#validate) protocolSchemas().catch(() => {}); // loaded before the first answer, mostly
    this.#reconnect = options.reconnect ?? false;
    // What the socket presents now; setToken / setDeviceToken change one part and keep the rest.
    if (typeof socket.auth === 'object' && socket.auth !== null) this.#auth = { ...(socket.auth as { token?: string; device?: string }) };
    if (socket.connected) this.#everConnected = true;
    // Each new engine (every connection) ignores the browser's `offline` event: see offlineEvent.ts.
    ignoreOfflineEvent(socket.io.engine);
    socket.io.on('open', () => ignoreOfflineEvent(socket.io.engine));
    socket.on('connect', () => {
      this.#everConnected = true;
      this.#lostAt = null;
      this.#attempt = 0;
      this.#replaced = false;
      this.#emitStatus();
    });
    socket.on('disconnect', (reason) => {
      // An ack can no longer arrive on this connection: fail what is in flight now.
      this.#failPending('DISCONNECTED');
      this.#emitStatus();
      // socket.io does not come back by itself when the server closed the connection (e.g. a
      // restart). Try again a little later: a token that is no longer good is then refused.
      if (reason === 'io server disconnect') this.#scheduleReconnect();
      else if (reason !== 'io client disconnect') this.#tryAgain();
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      const refusal = refusalOf(error);
      if (refusal) {
        this.#refusal = refusal;
        this.#failPending(refusal.code);
        for (const listener of [...this.#refusedListeners]) listener(refusal);
      } else {
        this.#tryAgain(); // the server is not there (yet): try again by the policy
      }
      this.#emitStatus();
    });
  }

  get status(): ConnectionStatus {
    if (this.#closed) return 'closed';
    if (this.#socket.connected) return 'connected';
    return this.#everConnected ? 'disconnected' : 'connecting';
  }

  /**
   * Sends `method` once and resolves with its answer, or rejects with a TeleclassError: the
   * server's code, TIMEOUT, DISCONNECTED, or INTERNAL for an answer that does not fit the protocol.
   */
  /** Why the server refused the handshake, or null. */
  get refusal(): TeleclassError | null {
    return this.#refusal;
  }

  /**
   * The token the next (re)connection presents, e.g. the personal one an attendee gets on join;
   * the current connection is not affected.
   */
  setToken(token: string): void {
    this.#auth = { ...this.#auth, token };
    this.#socket.auth = this.#auth;
  }

  /** Keeps the device token the server made for this browser and presents it from now on. */
  setDeviceToken(device: string): void {
    saveDeviceToken(device);
    this.#auth = { ...this.#auth, device };
    this.#socket.auth = this.#auth;
  }

  request<M extends Method>(method: M, payload: RequestOf<M>, options: RequestOptions = {}): Promise<ResponseOf<M>> {
    if (this.#refusal) return Promise.reject(new TeleclassError(this.#refusal.code, this.#refusal.message));
    if (this.#closed || (this.#everConnected && !this.#socket.connected)) {
      return Promise.reject(new TeleclassError('DISCONNECTED'));
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    return new Promise<ResponseOf<M>>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#pending.delete(fail);
        fn();
      };
      const fail = (error: TeleclassError) => settle(() => reject(error));
      const timer = setTimeout(() => fail(new TeleclassError('TIMEOUT')), timeoutMs);
      this.#pending.add(fail);
      this.#socket.emit(method, payload, (ack: unknown) => {
        settle(() =>
          this.#withSchemas(() => {
            try {
              resolve(this.#unwrap(method, ack));
            } catch (error) {
              reject(error);
            }
          }),
        );
      });
    });
  }

  /** Subscribes to a server push; returns the unsubscribe function. */
  on<N extends NotificationName>(name: N, handler: (data: NotificationOf<N>) => void): () => void {
    const listener = (data: unknown) => {
      if (!this.#validate) {
        handler(data as NotificationOf<N>);
        return;
      }
      this.#withSchemas((protocol) => {
        if (this.#closed) return; // closed while the schemas were loading
        const parsed = protocol?.notifications[name].safeParse(data);
        if (!parsed?.success) {
          console.error(`[teleclass] notification "${name}" does not fit the protocol`, parsed?.error.issues ?? 'no schemas', data);
          return;
        }
        handler(parsed.data as NotificationOf<N>);
      });
    };
    this.#socket.on(name as string, listener);
    return () => {
      this.#socket.off(name as string, listener);
    };
  }

  /** Listens to connection status changes; returns the unsubscribe function. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  /** Hears a refused handshake (final: the socket does not try again); returns the unsubscribe function. */
  onRefused(listener: (error: TeleclassError) => void): () => void {
    this.#refusedListeners.add(listener);
    return () => {
      this.#refusedListeners.delete(listener);
    };
  }

  /**
   * Cuts the connection underneath socket.io (as a network failure would): the server forgets this
   * participant, socket.io reconnects by itself and the session joins again with new transports.
   * Used to rebuild media from scratch, and by browser tests to simulate a cut.
   */
  dropConnection(): void {
    if (this.#closed || !this.#socket.connected) return;
    this.#socket.io.engine?.close();
  }

  /** Closes the socket for good; requests in flight fail with DISCONNECTED. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const run of this.#onClose.splice(0)) run();
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#stopProbe();
    this.#failPending('DISCONNECTED');
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    for (const listener of this.#statusListeners) listener('closed');
    this.#statusListeners.clear();
    this.#refusedListeners.clear();
  }

  /**
   * Runs `fn` with the schemas when validating: at once when they are loaded, else once they are
   * (every waiter chains on the same promise, so answers and notifications keep their order);
   * with null when they cannot be (a production build).
   */
  #withSchemas(fn: (protocol: Protocol | null) => void): void {
    const protocol = loadedProtocol();
    if (!this.#validate || protocol !== null) fn(protocol);
    else protocolSchemas().then(fn, () => fn(null));
  }

  #unwrap<M extends Method>(method: M, ack: unknown): ResponseOf<M> {
    if (typeof ack !== 'object' || ack === null || !('ok' in ack)) {
      throw new TeleclassError('INTERNAL', `The answer to "${method}" is not an acknowledgement.`);
    }
    if (ack.ok === true) {
      const data = 'data' in ack ? ack.data : undefined;
      if (!this.#validate) return data as ResponseOf<M>;
      const parsed = loadedProtocol()?.requests[method].res.safeParse(data);
      if (!parsed?.success) {
        console.error(`[teleclass] answer to "${method}" does not fit the protocol`, parsed?.error.issues ?? 'no schemas', data);
        throw new TeleclassError('INTERNAL', `The answer to "${method}" does not fit the protocol.`);
      }
      return parsed.data as ResponseOf<M>;
    }
    const body = 'error' in ack && typeof ack.error === 'object' && ack.error !== null ? ack.error : {};
    const code = 'code' in body ? body.code : undefined;
    const message = 'message' in body && typeof body.message === 'string' ? body.message : undefined;
    throw new TeleclassError(isErrorCode(code) ? code : 'INTERNAL', message);
  }

  #failPending(code: ErrorCode): void {
    for (const fail of [...this.#pending]) fail(new TeleclassError(code));
  }

  #scheduleReconnect(delayMs = SERVER_KICK_RETRY_MS): void {
    if (this.#closed || this.#retry !== null) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (!this.#closed && !this.#socket.connected && this.#refusal === null) this.#try();
    }, delayMs);
  }

  /** A new try, watched by LINE_PROBE while it hangs. */
  #try(): void {
    this.#tries++;
    this.#triedAt = Date.now();
    this.#socket.connect();
    this.#stopProbe();
    this.#probe = setTimeout(() => this.#probeLine(this.#tries), LINE_PROBE.afterMs);
  }

  #stopProbe(): void {
    if (this.#probe !== null) clearTimeout(this.#probe);
    this.#probe = null;
  }

  /** One probe for try number `tryNo`; the next a second later while that try still hangs. */
  #probeLine(tryNo: number): void {
    this.#probe = null;
    const hanging = () =>
      tryNo === this.#tries && !this.#replaced && !this.#closed && !this.#socket.connected && this.#refusal === null && this.#retry === null;
    if (!hanging()) return;
    const uri = (this.#socket.io as unknown as { uri: string }).uri;
    const sentAt = Date.now();
    void lineAnswers(uri, LINE_PROBE.timeoutMs).then((answered) => {
      // Re-checked after the wait: the try may have connected, failed or been replaced meanwhile.
      if (!hanging()) return;
      const now = Date.now();
      if (answered && now - this.#triedAt >= LINE_PROBE.slowerThan * Math.max(1, now - sentAt)) {
        this.#replaced = true;
        this.#socket.disconnect(); // drops the hung try (not connected: no 'disconnect' event)
        this.#try();
        return;
      }
      this.#probe = setTimeout(() => this.#probeLine(tryNo), Math.max(0, LINE_PROBE.everyMs - (now - sentAt)));
    });
  }

  /** A lost connection, or a try that failed: the next try, by reconnectPolicy.ts. */
  #tryAgain(): void {
    if (!this.#reconnect || this.#closed || this.#refusal !== null || this.#retry !== null) return;
    const now = Date.now();
    this.#lostAt ??= now;
    this.#scheduleReconnect(reconnectDelayMs(this.#attempt++, now - this.#lostAt));
  }

  #emitStatus(): void {
    const status = this.status;
    for (const listener of this.#statusListeners) listener(status);
  }
}

/** Whether the server at `uri` answers a small request (any status) within `timeoutMs`. */
async function lineAnswers(uri: string, timeoutMs: number): Promise<boolean> {
  try {
    const url = new URL('/healthz', uri);
    const response = await fetch(url, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false; // no answer (yet), or a node whose answer the page may not read: the try's own deadline stands
  }
}

/** The code of a handshake the server refused (`err.data.code`), or null for a network failure. */
export function refusalOf(error: { data?: unknown } | null | undefined): TeleclassError | null {
  const data = error?.data;
  if (typeof data !== 'object' || data === null || !('code' in data)) return null;
  const code = data.code;
  const message = 'message' in data && typeof data.message === 'string' ? data.message : undefined;
  return isErrorCode(code) ? new TeleclassError(code, message) : new TeleclassError('UNAUTHORIZED');
}
