import { ConfigError, parseConfig } from './config.js';
import { createLogger } from './logger.js';

// Composition root only: config → server (workers, http); signals stop it cleanly.
let config;
try {
  config = parseConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee README.md, section Configuration.\n`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
const { startServer } = await import('./server.js');
try {
  const server = await startServer(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // A cluster node drains first on SIGTERM (its participants move to other nodes; bounded by DRAIN_SECONDS).
    const draining = signal === 'SIGTERM' ? server.drain() : Promise.resolve(null);
    void draining
      .catch((error: unknown) => logger.warn({ err: error }, 'drain failed; stopping anyway'))
      .then(() => server.close())
      .then(() => process.exit(0));
    setTimeout(() => process.exit(0), (signal === 'SIGTERM' && server.cluster ? config.DRAIN_SECONDS * 1000 : 0) + 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
