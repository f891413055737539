/**
 * The one module that loads mediasoup. mediasoup reads MEDIASOUP_WORKER_BIN when it is first
 * imported, so the variable is set here, to the worker that scripts/mediasoup-worker/build.sh
 * built offline, before the import. Users never set it (a value already set is kept, for a
 * worker built elsewhere).
 */
import { accessSync, constants } from 'node:fs';
import type { Logger } from '../logger.js';
import { cachedWorkerBinaryPath } from './workerBinary.js';

process.env['MEDIASOUP_WORKER_BIN'] ||= cachedWorkerBinaryPath();
const workerBin = process.env['MEDIASOUP_WORKER_BIN'];
try {
  accessSync(workerBin, constants.X_OK);
} catch {
  throw new Error(
    `mediasoup-worker not found at ${workerBin}: run \`npm run setup\` (or \`npm start\`), which builds it`,
  );
}

const mediasoup = await import('mediasoup');
export { mediasoup };
export type * as ms from 'mediasoup/types';

/** Routes mediasoup's own log events (its Node side and the worker's output) into pino. */
export function routeMediasoupLogs(logger: Logger): void {
  const log = logger.child({ component: 'mediasoup' });
  mediasoup.setLogEventListeners({
    ondebug: (namespace, message) => log.debug({ namespace }, message),
    onwarn: (namespace, message) => log.warn({ namespace }, message),
    onerror: (namespace, message, err) => log.error({ namespace, err }, message),
  });
}
