import { defineConfig } from 'vitest/config';

// Integration tests start real mediasoup workers, ffmpeg, Redis, PostgreSQL and Chromium: give
// them time, and keep to the machine's two cores. Two groups, one after the other: first the
// server-side files, two at a time; then the browser files (e2e/: each a Chromium with its
// pages, a server and its workers), one at a time, with the machine to themselves. Two browser
// files at once put a load average of 12 on two cores on a slow CI machine, and a page's media
// then waited on the other file's Chromium. (vitest runs projects of one group in one pool, and
// puts every project that allows one file at a time into one serial group, so "one browser file
// beside one server file" cannot be asked for; this order costs about the same wall time.)
// expect.poll without a timeout of its own waits 10 s, not vitest's 1 s: a page's React boot,
// a locale's first paint or a fullscreen change can take longer than a second on a loaded
// machine (a hash-clearing check failed twice at 1 s here while npm built next to it).
const timeouts = { testTimeout: 60_000, hookTimeout: 60_000, expect: { poll: { timeout: 10_000 } } };

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['{shared,server,client}/test/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...timeouts,
        },
      },
      {
        test: { name: 'browser', include: ['e2e/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 }, ...timeouts },
      },
    ],
  },
});
