/** Why a store operation failed (not-found is never an error: it answers undefined / false). */
export type StoreErrorCode =
  /** A chat message or attendance row was written for a lecture the store does not hold. */
  | 'LECTURE_NOT_FOUND'
  /** A value the store cannot keep, e.g. a scheduledStart that is not a date. */
  | 'INVALID_INPUT'
  /** The database (file or PostgreSQL) was written by a newer version of Teleclass. */
  | 'SCHEMA_TOO_NEW'
  /** A site name (regardless of case) that another site already has. */
  | 'DUPLICATE'
  /** The store was closed (the server is shutting down). */
  | 'CLOSED';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
