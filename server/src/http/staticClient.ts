import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { chooseEncoding, ENCODING_SUFFIX, type Encoding } from './encoding.js';

/**
 * The built client (client/dist), for pages on weak links (README, "Weak connections"):
 * - every text file is sent pre-compressed, `<file>.br` or `<file>.gz` written by the build
 *   (client/vite.config.ts), chosen by Accept-Encoding, with `Vary: Accept-Encoding`;
 * - hashed files under /assets/ are cached for a year (`immutable`): a new build has new names;
 * - the HTML (index.html for every page of the single-page app) is `no-cache`: revalidated with
 *   its ETag each time, so a new build reaches every kiosk at its next load;
 * - source maps are never served (the build writes none; a *.map that is there anyway is a 404);
 * - a missing file under /assets/ is a 404, not the HTML: a page of an old build fails clearly.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const ASSETS = '/assets/';

export function staticClient(dist: string): Router {
  const root = path.resolve(dist);
  const index = path.join(root, 'index.html');
  const router = Router();

  router.get('/{*path}', (req, res, next) => {
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      res.status(400).type('text/plain').send('Bad request.');
      return;
    }
    if (relative.endsWith('.map')) {
      res.status(404).type('text/plain').send('Not found.');
      return;
    }
    const file = path.join(root, relative);
    const inside = file.startsWith(root + path.sep) && !path.relative(root, file).split(path.sep).some((part) => part.startsWith('.'));
    if (inside && isFile(file)) {
      sendVariant(req, res, file, relative.startsWith(ASSETS) ? IMMUTABLE : REVALIDATE, next);
      return;
    }
    if (relative.startsWith(ASSETS)) {
      res.status(404).type('text/plain').send('Not found.');
      return;
    }
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm start`, which builds it.');
      return;
    }
    sendVariant(req, res, index, REVALIDATE, next);
  });
  return router;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `file` itself or its pre-compressed sibling, as the request accepts. */
function sendVariant(req: Request, res: Response, file: string, cacheControl: string, next: (error?: unknown) => void): void {
  const available: Encoding[] = (['br', 'gzip'] as const).filter((encoding) => isFile(file + ENCODING_SUFFIX[encoding]));
  const encoding = chooseEncoding(req.headers['accept-encoding'], available);
  if (available.length > 0) res.vary('Accept-Encoding');
  res.type(path.extname(file)); // the original's type, not the .br/.gz's
  res.setHeader('Cache-Control', cacheControl);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  const sent = encoding ? file + ENCODING_SUFFIX[encoding] : file;
  // Ranges only of the plain file: a range of compressed bytes helps no browser.
  res.sendFile(sent, { cacheControl: false, lastModified: true, etag: true, acceptRanges: encoding === null, dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) next(error);
  });
}
