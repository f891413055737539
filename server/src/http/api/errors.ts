import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logger.js';

/** Every error the admin API answers with, and its HTTP status. */
export const API_ERRORS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  /** A valid viewing link for another recording, or a viewing link where the admin token is needed. */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** A site name that is taken. */
  DUPLICATE: 409,
  /** A kiosk link that was rotated (a new one replaces it). */
  LINK_REVOKED: 401,
  /** Too many calls from one kiosk. */
  RATE_LIMITED: 429,
  /** The recording's video is not composed yet (or failed). */
  NOT_READY: 409,
  /** The recording is still being written (stop it first). */
  RECORDING_ACTIVE: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** Not now: e.g. a network test already running for this site (README: Pre-flight). */
  INVALID_STATE: 409,
  /** A server-wide cap was reached (e.g. PROBE_MAX_CONCURRENT); try again shortly. */
  LIMIT: 503,
  /** Cluster: the node that holds what was asked (a recording's files) is not reachable now; try again once it is back. */
  NODE_UNAVAILABLE: 503,
  /** The media server could not do it (a worker restarting, shutting down). */
  MEDIA_ERROR: 503,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** Thrown by a route; the error handler turns it into `{ error: { code, message } }`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code];
  }
}

export function sendError(res: Response, code: ApiErrorCode, message: string): void {
  res.status(API_ERRORS[code]).json({ error: { code, message } });
}

/** A zod error as one readable line: `sites.1: must be unique; title: a title is needed`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Parses `value` with `schema`, or throws a 400 BAD_REQUEST naming what is wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError('BAD_REQUEST', `Invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'NOT_FOUND', `No such API route: ${req.method} ${req.baseUrl}${req.path}`.slice(0, 300));
};

/** body-parser's errors (malformed JSON, too large, bad charset), ApiErrors, and the rest as 500. */
export function errorHandler(logger?: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiError) {
      sendError(res, error.code, error.message);
      return;
    }
    // A path that is not valid percent-encoding (`%E0%A4%A`): express's router says 400 with a URIError.
    if (error instanceof URIError) {
      logger?.debug({ method: req.method }, 'malformed URL');
      sendError(res, 'BAD_REQUEST', 'The URL is not valid.');
      return;
    }
    const parser = error as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
    if (typeof parser.type === 'string' && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
      if (parser.type === 'entity.too.large') {
        sendError(res, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      } else if (parser.type === 'entity.parse.failed') {
        sendError(res, 'BAD_REQUEST', 'The request body is not valid JSON.');
      } else {
        sendError(res, 'BAD_REQUEST', parser.expose === true && typeof parser.message === 'string' ? parser.message : 'Bad request.');
      }
      return;
    }
    logger?.error({ err: error, method: req.method, path: req.path }, 'admin API failed');
    sendError(res, 'INTERNAL', 'Something went wrong on the server.');
  };
}
