/**
 * Error codes and the error that carries one across the wire, without zod: the pages import this
 * (`@teleclass/shared/errors`) so that the watch and kiosk pages do not ship the protocol's schemas
 * (README, "Weak connections"). protocol/errors.ts adds the zod schemas the server checks with.
 */

/** Every error a request can answer with: a closed set, each with a sentence a person can read. */
export const ERROR_CODES = {
  BAD_REQUEST: 'The request was malformed.',
  UNKNOWN_METHOD: 'The server does not know this request.',
  NOT_JOINED: 'Join the lecture first.',
  ALREADY_JOINED: 'You have already joined this lecture.',
  FORBIDDEN: 'Your role does not allow this.',
  NOT_FOUND: 'That no longer exists.',
  UNAUTHORIZED: 'This link is not valid. Ask the organiser for a new one.',
  TOKEN_EXPIRED: 'This link has expired. Ask the organiser for a new one.',
  REMOVED: 'You were removed from this lecture.',
  TRAINER_PRESENT: 'Another trainer is already running this lecture.',
  STAGE_FULL: 'Someone else has the floor; take it back first.',
  LECTURE_NOT_LIVE: 'The lecture is not live.',
  LECTURE_ENDED: 'The lecture has ended.',
  INVALID_STATE: 'That cannot be done now.',
  MEDIA_ERROR: 'The media server could not do this.',
  RATE_LIMITED: 'Too many requests; slow down.',
  LIMIT: 'A limit of the server was reached.',
  LINK_REVOKED: 'This link was replaced by a new one. Ask the organiser for the new link.',
  FEED_BUSY: 'Another studio feed is on air for this lecture.',
  RESUME_REFUSED: 'The session could not be continued; joining again.',
  INTERNAL: 'Something went wrong on the server.',
  TIMEOUT: 'The server did not answer in time.',
  DISCONNECTED: 'The connection to the server is lost.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `value` is one of the codes (what `errorCodeSchema` accepts). */
export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** What every request is acknowledged with. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** An error that carries its code across the wire (thrown by handlers, rethrown by the client). */
export class TeleclassError extends Error {
  override name = 'TeleclassError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** The sentence to show a person for an error code. */
export function describeError(code: ErrorCode): string {
  return ERROR_CODES[code];
}
