// What a page costs on a weak link, measured in Chromium against a running server: every
// JavaScript file the page fetches until it waits for the lecture (bytes as sent: compressed,
// from Content-Length, so the figure is exact and the same on every machine), and the time from
// navigation to that waiting state, on a link throttled with the DevTools Protocol's
// Network.emulateNetworkConditions. Used by `npm run budget`, `npm run bench` and
// e2e/page-budget.test.ts (README, "Weak connections").
import type { Browser, Page } from 'playwright-core';

/** The weak link of the budget: 1.6 Mbit/s each way, 150 ms added to every request. */
export const WEAK_LINK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 1_600_000 / 8 } as const;

/** Issue 17's budget: ≤ 150 kB of JavaScript as sent, ≤ 3 s to the waiting state on the weak link. */
export const BUDGET = { jsBytes: 150 * 1024, loadMs: 3_000 } as const;

export interface FileSent {
  path: string;
  bytes: number;
  encoding: string;
}

export interface PageLoad {
  /** Every .js file the page fetched, as sent. */
  js: FileSent[];
  jsBytes: number;
  /** Everything else fetched over HTTP (HTML, CSS, catalogs are JS; API answers), as sent. */
  otherBytes: number;
  /** Navigation to the waiting state, in ms. */
  loadMs: number;
}

export interface PageUnderTest {
  url: string;
  /** Resolves once the page waits for the lecture (it may click, e.g. the watch page's name form). */
  ready: (page: Page) => Promise<void>;
}

/** Loads `target` once in a fresh context (empty cache), throttled to WEAK_LINK or not. */
export async function loadPage(browser: Browser, target: PageUnderTest, throttled: boolean): Promise<PageLoad> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'az-AZ', viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) await cdp.send('Network.emulateNetworkConditions', WEAK_LINK);
    const sent: Promise<FileSent>[] = [];
    page.on('response', (response) => {
      sent.push(
        response.allHeaders().then((headers) => ({
          path: new URL(response.url()).pathname,
          bytes: Number(headers['content-length'] ?? 0),
          encoding: headers['content-encoding'] ?? 'identity',
        })),
      );
    });
    const started = performance.now();
    await page.goto(target.url);
    await target.ready(page);
    const loadMs = Math.round(performance.now() - started);
    const files = await Promise.all(sent);
    const js = files.filter((f) => f.path.endsWith('.js')).sort((a, b) => b.bytes - a.bytes);
    const jsBytes = js.reduce((sum, f) => sum + f.bytes, 0);
    const otherBytes = files.reduce((sum, f) => sum + f.bytes, 0) - jsBytes;
    return { js, jsBytes, otherBytes, loadMs };
  } finally {
    await context.close();
  }
}

export interface PageFigures {
  name: string;
  /** Throttled load (the fastest of `runs`). */
  weak: PageLoad;
  /** The same load unthrottled on the same machine at the same time: the CPU's share. */
  fastMs: number;
  /** What the weak link adds: weak.loadMs − fastMs. */
  linkMs: number;
}

/** `runs` throttled and `runs` unthrottled loads of a page; the fastest of each counts. */
export async function measurePage(browser: Browser, name: string, target: PageUnderTest, runs = 2): Promise<PageFigures> {
  let weak: PageLoad | null = null;
  let fastMs = Infinity;
  for (let i = 0; i < runs; i++) {
    fastMs = Math.min(fastMs, (await loadPage(browser, target, false)).loadMs);
    const load = await loadPage(browser, target, true);
    if (!weak || load.loadMs < weak.loadMs) weak = load;
  }
  return { name, weak: weak!, fastMs, linkMs: Math.max(0, weak!.loadMs - fastMs) };
}

const kB = (bytes: number) => (bytes / 1024).toFixed(1);

/** A README-ready table of the figures. */
export function formatPageFigures(pages: readonly PageFigures[]): string {
  const lines = [
    `| page | JS files | JS sent (kB, ${pages[0]?.weak.js[0]?.encoding ?? 'br'}) | other sent (kB) | load on 1.6 Mbit/s, 150 ms (ms) | unthrottled (ms) | the link's share (ms) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...pages.map((p) => `| ${p.name} | ${p.weak.js.length} | ${kB(p.weak.jsBytes)} | ${kB(p.weak.otherBytes)} | ${p.weak.loadMs} | ${p.fastMs} | ${p.linkMs} |`),
  ];
  return lines.join('\n');
}
