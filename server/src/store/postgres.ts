/** The Store on PostgreSQL (cluster mode: every node of the cluster shares one database). */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migratePostgres } from './pgMigrations.js';
import type { Database as Schema } from './schema.js';
import { SqlStore } from './SqlStore.js';

const INT8 = 20;

/**
 * Type parsers of this pool only (pg's global ones stay as they are): BIGINT — milliseconds,
 * byte counts, COUNT(*) — is read as a number (safe up to 2^53: 285,000 years of milliseconds)
 * instead of pg's default string.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresStoreOptions {
  /** Connections kept open (DATABASE_POOL_SIZE). */
  poolSize?: number;
  now?: () => number;
  /** This node's id (NODE_ID): see SqlStoreOptions.node. */
  node?: string | undefined;
  /** An idle connection broke (the database restarted); the pool replaces it, queries under way fail. */
  onPoolError?: (error: Error) => void;
}

/**
 * Connects to `url` and brings the schema up to date under an advisory lock (pgMigrations.ts):
 * processes starting together never both migrate.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => options.onPoolError?.(error));
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migratePostgres(kysely);
  } catch (error) {
    await kysely.destroy();
    throw error;
  }
  return new SqlStore(kysely, 'postgres', { ...(options.now ? { now: options.now } : {}), node: options.node });
}
