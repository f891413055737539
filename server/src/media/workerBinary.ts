import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';

/** Folder of the worker build recipe; its files make the cache key. */
const RECIPE_DIR = 'scripts/mediasoup-worker';

function listFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    return entry.isDirectory() ? listFiles(rel) : entry.isFile() ? [rel] : [];
  });
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Where scripts/mediasoup-worker/build.sh caches the worker it built:
 * <cache>/mediasoup-worker-<mediasoup version>-<first 12 hex of sha256 over the recipe's files>.
 * The hash is the same as `find … | sort | xargs sha256sum | sha256sum` in build.sh.
 */
export function cachedWorkerBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'server', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const version = pkg.dependencies['mediasoup'];
  const listing = listFiles(RECIPE_DIR)
    .sort()
    .map((file) => `${sha256(readFileSync(path.join(REPO_ROOT, file)))}  ${file}\n`)
    .join('');
  const cacheDir =
    env['TELECLASS_CACHE_DIR'] ?? path.join(env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'teleclass');
  return path.join(cacheDir, `mediasoup-worker-${version}-${sha256(listing).slice(0, 12)}`);
}
