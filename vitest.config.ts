import { defineConfig } from 'vitest/config';

// Integration tests start real mediasoup workers, ffmpeg, Redis, PostgreSQL and Chromium: give
// them time, and keep to the machine's two cores. Two projects run side by side, one file each
// at a time: the browser files (e2e/, each a Chromium with its pages, a server and its workers)
// and everything else. Two browser files at once put a load of 12 on two cores on a slow CI
// machine, and a page's media then waited on the other file's Chromium; one at a time, a browser
// file shares the machine with at most one server-side file. The wall time stays about the same:
// the browser files are most of it either way.
const timeouts = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { test: { name: 'browser', include: ['e2e/**/*.test.ts'], fileParallelism: false, ...timeouts } },
      { test: { name: 'node', include: ['{shared,server,client}/test/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'], fileParallelism: false, ...timeouts } },
    ],
  },
});
