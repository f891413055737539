import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './Store.js';

/** The database file inside DATA_DIR. */
export const STORE_FILE = 'teleclass.sqlite';

export type StoreConfig = Pick<Config, 'DATA_DIR'> & Partial<Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'NODE_ID'>>;

/**
 * Opens the store the configuration names: PostgreSQL at DATABASE_URL when it is set (cluster
 * mode), else (creating the folder and the file when missing) SQLite in DATA_DIR. A bare string
 * is DATA_DIR. NODE_ID (cluster mode) names the node whose sessions, recordings and alive mark
 * this store writes and cleans up after a crash; unset, a single process ('local').
 */
export async function openStore(config: StoreConfig | string, logger?: Logger): Promise<Store> {
  const { DATA_DIR, DATABASE_URL, DATABASE_POOL_SIZE, NODE_ID } = typeof config === 'string' ? { DATA_DIR: config } : config;
  if (DATABASE_URL) {
    return openPostgresStore(DATABASE_URL, {
      ...(DATABASE_POOL_SIZE ? { poolSize: DATABASE_POOL_SIZE } : {}),
      node: NODE_ID,
      onPoolError: (error) => logger?.warn({ err: error }, 'store: a PostgreSQL connection broke; the pool opens another'),
    });
  }
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  return openSqliteStore(path.join(DATA_DIR, STORE_FILE), { node: NODE_ID });
}
