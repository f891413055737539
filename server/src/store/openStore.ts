import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './Store.js';

/** The database file inside DATA_DIR. */
export const STORE_FILE = 'teleclass.sqlite';

export type StoreConfig = Pick<Config, 'DATA_DIR'>;

/** Opens (creating the folder and the file when missing) the store in DATA_DIR. A bare string is DATA_DIR. */
export async function openStore(config: StoreConfig | string, _logger?: Logger): Promise<Store> {
  const { DATA_DIR } = typeof config === 'string' ? { DATA_DIR: config } : config;
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  return openSqliteStore(path.join(DATA_DIR, STORE_FILE));
}
