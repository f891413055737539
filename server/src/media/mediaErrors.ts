import { TeleclassError } from '@teleclass/shared';
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
