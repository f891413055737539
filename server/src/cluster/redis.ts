import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/** Longest wait between two tries to reach Redis again: a restarted Redis is found within this. */
export const REDIS_RETRY_MAX_MS = 500;
/** A connection attempt that gets no answer is given up after this long (then tried again). */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * A connection to the cluster's Redis that never gives up: it tries again every ≤ 0.5 s for as
 * long as Redis is away, and commands sent meanwhile wait in its queue instead of failing (the
 * socket.io adapter publishes without awaiting; a rejected publish would be an unhandled
 * rejection). Callers that must not wait bound their own calls (`withTimeout`).
 */
export function connectRedis(url: string, logger: Logger, name: string, extra: RedisOptions = {}): Redis {
  const log = logger.child({ component: 'redis', connection: name });
  const client = new Redis(url, {
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * times, REDIS_RETRY_MAX_MS),
    // A READONLY error (a failed-over replica) reconnects, so writes reach the new primary.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    ...extra,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) log.warn({ err: error.message }, 'Redis is not reachable; trying again');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('Redis is reachable again');
    down = false;
  });
  return client;
}

/**
 * Rejects with `what timed out` when `promise` takes longer than `ms` (the promise itself goes on).
 * The rejection waits for the event loop's next check phase: when this process was stalled past
 * the deadline (a loaded machine), the deadline and the answer are both due at once, and Node
 * runs timers before it reads sockets; an answer that arrived during the stall is read in the
 * same turn's poll phase and wins, instead of a heartbeat or claim that Redis took in time
 * counting as failed.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(`${what} timed out after ${ms} ms`))), ms);
  });
  promise.catch(() => undefined); // a late failure after the deadline is not unhandled
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Closes a connection without failing what is still queued (QUIT lets queued commands go first, bounded). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect(false);
    return;
  }
  await withTimeout(client.quit(), 1_000, 'Redis QUIT').catch(() => client.disconnect(false));
}
