/**
 * Everything that differs between the two databases the Store runs on, in one place: how a
 * boolean and JSON are written and read, the scalar greatest/least functions, row locks, JSON
 * containment, and which constraint an error broke. (Milliseconds: BIGINT on PostgreSQL comes
 * back as a string by default; the pool parses it into a number: see postgres.ts.)
 */
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { SqlBool, SqlJson } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';
/** Which kind of constraint a failed write broke. */
export type Violation = 'foreign-key' | 'unique' | 'check';

export class SqlDialect {
  constructor(readonly name: DialectName) {}

  /** A boolean to write. */
  bool(value: boolean): SqlBool {
    return this.name === 'sqlite' ? (value ? 1 : 0) : value;
  }

  /** A boolean as read. */
  readBool(value: SqlBool): boolean {
    return value === true || value === 1;
  }

  /** A JSON value to write (text on both; PostgreSQL casts it to JSONB). */
  json(value: unknown): string {
    return JSON.stringify(value);
  }

  /** A JSON column as read: SQLite answers text, PostgreSQL the parsed value; unreadable text is null. */
  readJson(value: SqlJson): unknown {
    if (typeof value !== 'string') return value ?? null;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }

  /** The larger of two values (SQLite's scalar MAX, PostgreSQL's GREATEST). */
  greatest<T>(a: Expression<T>, b: Expression<T>): RawBuilder<T> {
    return this.name === 'sqlite' ? sql<T>`MAX(${a}, ${b})` : sql<T>`GREATEST(${a}, ${b})`;
  }

  /** The smaller of two values. */
  least<T>(a: Expression<T>, b: Expression<T>): RawBuilder<T> {
    return this.name === 'sqlite' ? sql<T>`MIN(${a}, ${b})` : sql<T>`LEAST(${a}, ${b})`;
  }

  /** Locks the rows read until the transaction ends (PostgreSQL; SQLite's writer lock covers it). */
  forUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
    return this.name === 'postgres' ? query.forUpdate() : query;
  }

  /** `column` (a JSON array of { id, name }) holds an element whose id is `id`. */
  jsonArrayHasId(column: Expression<SqlJson>, id: string): RawBuilder<boolean> {
    return this.name === 'sqlite'
      ? sql<boolean>`EXISTS (SELECT 1 FROM json_each(${column}) j WHERE json_extract(j.value, '$.id') = ${id})`
      : sql<boolean>`${column} @> jsonb_build_array(jsonb_build_object('id', ${id}::text))`;
  }

  /** Which constraint a failed write broke, or undefined for any other error. */
  violation(error: unknown): Violation | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const code = String((error as { code?: unknown }).code ?? '');
    if (this.name === 'sqlite') {
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign-key';
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique';
      if (code === 'SQLITE_CONSTRAINT_CHECK') return 'check';
      return undefined;
    }
    // PostgreSQL's SQLSTATE class 23: integrity constraint violation.
    if (code === '23503') return 'foreign-key';
    if (code === '23505') return 'unique';
    if (code === '23514') return 'check';
    return undefined;
  }
}

/** The number of rows a write touched, as Kysely reports it (a bigint) or undefined. */
export const affected = (n: bigint | number | undefined): number => Number(n ?? 0);
