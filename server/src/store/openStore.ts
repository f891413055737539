import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteStore } from './SqliteStore.js';
import type { Store } from './Store.js';

/** The database file inside DATA_DIR. */
export const STORE_FILE = 'teleclass.sqlite';

/** Opens (creating when missing) the store in `dataDir`, creating the folder too. */
export function openStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return new SqliteStore(path.join(dataDir, STORE_FILE));
}
