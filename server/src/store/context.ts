import type { Kysely } from 'kysely';
import type { SqlDialect } from './dialect.js';
import type { Database } from './schema.js';

/** What each table of the Store works with: the query layer, its dialect, the clock. */
export interface SqlContext {
  readonly db: Kysely<Database>;
  readonly d: SqlDialect;
  readonly now: () => number;
}
