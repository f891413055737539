import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger.js';

/**
 * The last word on any error that reached express outside the admin API (a malformed URL such as
 * `/%c0`, a static file that failed): a short plain answer, never a stack. Client mistakes (4xx,
 * URIError) are logged at debug only: anyone can send them.
 */
export function finalErrorHandler(logger?: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const declared = (error as { status?: unknown; statusCode?: unknown } | null) ?? {};
    const given = typeof declared.status === 'number' ? declared.status : declared.statusCode;
    const status = error instanceof URIError ? 400 : typeof given === 'number' && given >= 400 && given < 600 ? given : 500;
    if (status >= 500) logger?.error({ err: error, method: req.method }, 'request failed');
    else logger?.debug({ status, method: req.method }, 'bad request');
    const message = status === 400 ? 'Bad request.' : status === 404 ? 'Not found.' : status < 500 ? 'Request refused.' : 'Something went wrong on the server.';
    res.status(status).type('text/plain').send(message);
  };
}
