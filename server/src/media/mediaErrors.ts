import { TeleclassError } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import type { PooledWorker } from './WorkerPool.js';

/**
 * What a failed mediasoup call means for the caller. Our own coded errors pass through; while the
 * worker is alive, anything else is mediasoup refusing what the caller sent (a reused SSRC or
 * MID, parameters it cannot use): BAD_REQUEST with mediasoup's reason; a dead or closed worker is
 * MEDIA_ERROR (the client sets its media up again and retries).
 */
export function mediaError(error: unknown, worker: PooledWorker): TeleclassError {
  if (error instanceof TeleclassError) return error;
  if (worker.worker.died || worker.worker.closed) return new TeleclassError('MEDIA_ERROR');
  const reason = error instanceof Error ? error.message : String(error);
  return new TeleclassError('BAD_REQUEST', `The media server refused this: ${reason}`.slice(0, 300));
}

/** Runs a mediasoup call made with the caller's parameters; its failure becomes a coded error. */
export async function callerParameters<T>(worker: PooledWorker, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mediaError(error, worker);
  }
}

/**
 * A pipe to another worker's router failed: the stream ended meanwhile (NOT_FOUND) or a worker
 * died (MEDIA_ERROR); anything else is ours and stays unexpected (INTERNAL, logged).
 */
export function pipeFailure(error: unknown, from: { producer: ms.Producer; worker: PooledWorker }): unknown {
  if (error instanceof TeleclassError) return error;
  if (from.producer.closed) return new TeleclassError('NOT_FOUND', 'That stream has ended.');
  if (from.worker.worker.died || from.worker.worker.closed) return new TeleclassError('MEDIA_ERROR');
  return error;
}
