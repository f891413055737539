import type { Kysely } from 'kysely';
import type { SqlDialect } from './dialect.js';
import type { Database } from './schema.js';

/** The node id of a single process (NODE_ID unset), and of every row written before migration 8. */
export const LOCAL_NODE = 'local';

/** What each table of the Store works with: the query layer, its dialect, the clock, this node. */
export interface SqlContext {
  readonly db: Kysely<Database>;
  readonly d: SqlDialect;
  readonly now: () => number;
  /** The node this store writes for (NODE_ID, or LOCAL_NODE): its sessions, recordings and alive mark. */
  readonly node: string;
}
