import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TeleclassError, ERROR_CODES, type ErrorCode } from '@teleclass/shared';
import type { Logger } from '../logger.js';

/** A request or answer bigger than this is refused (signaling payloads are a few KB). */
export const BUS_MAX_BYTES = 256 * 1024;
/** Default answer deadline of a cross-node request. */
export const BUS_TIMEOUT_MS = 5_000;
/** How long a retried request (same idempotency key) gets the first answer instead of running again. */
const IDEMPOTENCY_TTL_MS = 60_000;
/** At most this many answers are remembered for idempotency keys (oldest forgotten first). */
const IDEMPOTENCY_MAX = 5_000;
/** At most this many of this node's requests wait for answers at once. */
const MAX_PENDING = 10_000;

const inbox = (nodeId: string) => `tc:bus:${nodeId}`;

interface Envelope {
  kind: 'req' | 'res';
  /** Request id (the answer carries it back). */
  id: string;
  from: string;
  method?: string;
  payload?: unknown;
  key?: string;
  ok?: boolean;
  data?: unknown;
  error?: { code: ErrorCode; message: string };
  /** Epoch ms it was sent (old messages are dropped: a replay window of the timeout). */
  at: number;
}

export type BusHandler = (payload: unknown, from: string) => Promise<unknown>;

export interface RequestOptions {
  timeoutMs?: number;
  /**
   * Given when the caller may send the same request again (after a timeout): the receiver runs it
   * once and answers every copy with the first answer.
   */
  idempotencyKey?: string;
}

/**
 * Requests from one node to another over Redis pub/sub: each node subscribes to its inbox
 * `tc:bus:<nodeId>`, a request names its method and carries an id; the answer comes back to the
 * caller's inbox. Every message is signed with an HMAC-SHA256 of the cluster's shared secret
 * (JWT_SECRET) and dropped when the signature, size or age is wrong, so access to Redis alone
 * does not let anyone run a node's methods. Requests are bounded by a deadline (TIMEOUT) and
 * retried ones by an idempotency key.
 */
export class ClusterBus {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #nodeId: string;
  readonly #key: Buffer;
  readonly #log: Logger;
  readonly #handlers = new Map<string, BusHandler>();
  readonly #pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  readonly #answered = new Map<string, { at: number; answer: Promise<Pick<Envelope, 'ok' | 'data' | 'error'>> }>();

  constructor(pub: Redis, sub: Redis, nodeId: string, secret: string, logger: Logger) {
    this.#pub = pub;
    this.#sub = sub;
    this.#nodeId = nodeId;
    this.#key = createHmac('sha256', 'teleclass-cluster-bus').update(secret).digest();
    this.#log = logger.child({ component: 'cluster-bus' });
    this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      if (channel.toString() === inbox(nodeId)) void this.#receive(message);
    });
  }

  /** Subscribes to this node's inbox (ioredis subscribes again by itself after a reconnect). */
  async start(): Promise<void> {
    await this.#sub.subscribe(inbox(this.#nodeId));
  }

  /** Serves `method` for the other nodes. */
  handle(method: string, handler: BusHandler): void {
    this.#handlers.set(method, handler);
  }

  /** Asks `nodeId` to run `method`; rejects with a TeleclassError (TIMEOUT, or the remote's code). */
  request<T = unknown>(nodeId: string, method: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    if (this.#pending.size >= MAX_PENDING) return Promise.reject(new TeleclassError('LIMIT', 'Too many cross-node requests in flight.'));
    const id = randomUUID();
    const envelope: Envelope = { kind: 'req', id, from: this.#nodeId, method, payload, at: Date.now(), ...(options.idempotencyKey && { key: options.idempotencyKey }) };
    const message = this.#seal(envelope);
    if (message.length > BUS_MAX_BYTES) return Promise.reject(new TeleclassError('BAD_REQUEST', 'The cross-node request is too large.'));
    const timeoutMs = options.timeoutMs ?? BUS_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TeleclassError('TIMEOUT', `Node ${nodeId} did not answer "${method}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#pub.publish(inbox(nodeId), message).catch(() => undefined); // the deadline tells
    });
  }

  close(): void {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new TeleclassError('DISCONNECTED', 'This node is stopping.'));
    }
    this.#pending.clear();
  }

  #seal(envelope: Envelope): Buffer {
    const body = Buffer.from(JSON.stringify(envelope));
    const mac = createHmac('sha256', this.#key).update(body).digest();
    return Buffer.concat([mac, body]);
  }

  #open(message: Buffer): Envelope | null {
    if (message.length > BUS_MAX_BYTES + 32 || message.length <= 32) return null;
    const mac = message.subarray(0, 32);
    const body = message.subarray(32);
    if (!timingSafeEqual(mac, createHmac('sha256', this.#key).update(body).digest())) return null;
    try {
      const envelope = JSON.parse(body.toString()) as Envelope;
      if (typeof envelope.id !== 'string' || typeof envelope.from !== 'string' || typeof envelope.at !== 'number') return null;
      if (Math.abs(Date.now() - envelope.at) > IDEMPOTENCY_TTL_MS) return null; // a replay, or a clock far off
      return envelope;
    } catch {
      return null;
    }
  }

  async #receive(message: Buffer): Promise<void> {
    const envelope = this.#open(message);
    if (!envelope) {
      this.#log.warn('dropped a cluster message with a bad signature, size or age');
      return;
    }
    if (envelope.kind === 'res') {
      const waiting = this.#pending.get(envelope.id);
      if (!waiting) return; // answered after its deadline
      this.#pending.delete(envelope.id);
      clearTimeout(waiting.timer);
      if (envelope.ok) waiting.resolve(envelope.data);
      else waiting.reject(new TeleclassError(envelope.error?.code ?? 'INTERNAL', envelope.error?.message));
      return;
    }
    const answer = await this.#answer(envelope);
    const reply = this.#seal({ kind: 'res', id: envelope.id, from: this.#nodeId, at: Date.now(), ...answer });
    const sized = reply.length > BUS_MAX_BYTES ? this.#seal({ kind: 'res', id: envelope.id, from: this.#nodeId, at: Date.now(), ok: false, error: { code: 'INTERNAL', message: 'The answer is too large.' } }) : reply;
    await this.#pub.publish(inbox(envelope.from), sized).catch(() => undefined);
  }

  #answer(envelope: Envelope): Promise<Pick<Envelope, 'ok' | 'data' | 'error'>> {
    const key = envelope.key ? `${envelope.from}:${envelope.method}:${envelope.key}` : null;
    const now = Date.now();
    if (key) {
      const earlier = this.#answered.get(key);
      if (earlier && now - earlier.at < IDEMPOTENCY_TTL_MS) return earlier.answer;
    }
    const answer = this.#run(envelope);
    if (key) {
      this.#answered.set(key, { at: now, answer });
      for (const [k, v] of this.#answered) {
        if (this.#answered.size <= IDEMPOTENCY_MAX && now - v.at < IDEMPOTENCY_TTL_MS) break;
        this.#answered.delete(k);
      }
    }
    return answer;
  }

  async #run(envelope: Envelope): Promise<Pick<Envelope, 'ok' | 'data' | 'error'>> {
    const handler = envelope.method ? this.#handlers.get(envelope.method) : undefined;
    if (!handler) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown cluster request "${String(envelope.method).slice(0, 64)}".` } };
    try {
      return { ok: true, data: await handler(envelope.payload, envelope.from) };
    } catch (error) {
      if (error instanceof TeleclassError) return { ok: false, error: error.toBody() };
      this.#log.error({ err: error, method: envelope.method, from: envelope.from }, 'cluster request failed');
      return { ok: false, error: { code: 'INTERNAL', message: ERROR_CODES.INTERNAL } };
    }
  }
}
