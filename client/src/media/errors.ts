/**
 * Errors as the UI shows them: a code and a sentence. Server and wire errors keep their protocol
 * code (the sentence is `describeError(code)`); camera, microphone and screen errors get codes of
 * their own, since they never cross the wire.
 */
import { describeError, TeleclassError, type ErrorCode } from '@teleclass/shared/errors';

export const DEVICE_ERRORS = {
  DEVICE_DENIED: 'The browser was not allowed to use the camera or microphone.',
  DEVICE_NOT_FOUND: 'No camera or microphone was found.',
  DEVICE_IN_USE: 'The camera or microphone is in use by another program.',
  DEVICE_FAILED: 'The camera or microphone could not be started.',
  SCREEN_FAILED: 'The screen could not be shared.',
  UNSUPPORTED: 'This browser cannot take part in the lecture.',
} as const;

export type DeviceErrorCode = keyof typeof DEVICE_ERRORS;

/** Ends of a session that are not a server error code. */
export const SESSION_ERRORS = {
  REPLACED: 'Opened in another window. This window has stopped; use the other one.',
  WRONG_PAGE: 'This link is for another page: open it exactly as you received it.',
} as const;

export type SessionErrorCode = keyof typeof SESSION_ERRORS;

export interface SessionError {
  code: ErrorCode | DeviceErrorCode | SessionErrorCode;
  message: string;
  /** A second line (e.g. the reason given for a removal), as a catalog key … */
  detailKey?: string;
  /** … or as text (not shown when detailKey is given). */
  detail?: string;
}

export function sessionError(code: SessionErrorCode): SessionError {
  return { code, message: SESSION_ERRORS[code] };
}

/** The error of a failed server request (any other error becomes INTERNAL). */
export function requestError(error: unknown): SessionError {
  const code: ErrorCode = error instanceof TeleclassError ? error.code : 'INTERNAL';
  return { code, message: describeError(code) };
}

/** The error of a failed getUserMedia / getDisplayMedia, by the DOMException's name. */
export function deviceError(error: unknown, screen = false): SessionError {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  let code: DeviceErrorCode;
  if (screen) code = 'SCREEN_FAILED';
  else if (name === 'NotAllowedError' || name === 'SecurityError') code = 'DEVICE_DENIED';
  else if (name === 'NotFoundError' || name === 'OverconstrainedError') code = 'DEVICE_NOT_FOUND';
  else if (name === 'NotReadableError' || name === 'AbortError') code = 'DEVICE_IN_USE';
  else code = 'DEVICE_FAILED';
  return { code, message: DEVICE_ERRORS[code] };
}

/** A person cancelling the browser's screen picker is not an error to show. */
export function isUserCancel(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError';
}

/** An error already in the UI's shape (a device error thrown by an action). */
export function isSessionError(value: unknown): value is SessionError {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'code' in value && 'message' in value;
}

/** How often, and how far apart, a media step refused while the media server restarts is tried again. */
export const MEDIA_RETRY = { attempts: 15, delayMs: 700 } as const;

/**
 * The media server refused because it is restarting a worker ("try again in a moment"): nothing
 * was created, so even a non-idempotent step may be tried again.
 */
export function isMediaRestarting(error: unknown): boolean {
  return error instanceof TeleclassError && error.code === 'MEDIA_ERROR';
}
