import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { cachedWorkerBinaryPath } from '../../src/media/workerBinary.js';

describe('the cached mediasoup-worker', () => {
  it('the server and the build script agree on its path', () => {
    const fromScript = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/mediasoup-worker/build.sh'), '--print-path'], {
      encoding: 'utf8',
    }).trim();
    expect(cachedWorkerBinaryPath()).toBe(fromScript);
    expect(fromScript).toMatch(/mediasoup-worker-3\.19\.3-[0-9a-f]{12}$/);
  });

  it('the path follows TELECLASS_CACHE_DIR', () => {
    expect(cachedWorkerBinaryPath({ TELECLASS_CACHE_DIR: '/x' })).toMatch(/^\/x\/mediasoup-worker-3\.19\.3-/);
  });

  it('is built and executable (npm test builds it first)', () => {
    expect(() => accessSync(cachedWorkerBinaryPath(), constants.X_OK)).not.toThrow();
  });
});
