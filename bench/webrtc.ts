// The real-WebRTC sample of the Teleclass side: after the bulk steps, with their viewers closed
// (a lightly loaded lecture: only the studio's producers, so Chromium's own CPU does not distort
// the bulk figures and the bulk load does not distort these), `pages` attendees open the
// attendee link in Chromium (launched as the browser tests do, e2e/browser.ts), one after
// another, one context each, each closed once measured. Inside the page, on its one clock
// (performance.now()):
//  - t0: the Watch page's `join` button is clicked (the name is already typed);
//  - first RTP: the first poll (every 10 ms) of `window.teleclass.stats()` that finds an
//    inbound-rtp with packetsReceived > 0 resolves (an upper bound, within one poll);
//  - first decoded frame: the earliest of `lecture-video`'s requestVideoFrameCallback
//    presentationTime and the first poll that sees getVideoPlaybackQuality().totalVideoFrames > 0.
// Navigation start → click (page load, typing) is kept apart in `pageLoadMs`.
import type { Browser } from 'playwright-core';
import { launchChromium, newPage } from '../e2e/browser.js';

export interface WebRtcPage {
  /** Navigation start → join click (page load and typing the name), ms. */
  pageLoadMs: number;
  /** Join click → first inbound RTP packet (audio or video), ms. */
  firstRtpMs: number;
  /** Join click → first inbound video RTP packet, ms. */
  firstVideoRtpMs: number;
  /** Join click → first decoded frame of `lecture-video`, ms. */
  firstFrameMs: number;
  /** The SRTP suite DTLS negotiated with the worker (getStats' transport `srtpCipher`). */
  srtpCipher: string;
}

export interface WebRtcSample {
  /** "WebRTC (Chromium, n=…)": n counts the pages that got a decoded frame. */
  label: string;
  requested: number;
  n: number;
  chromium: string;
  joinToFirstRtpMs: { p50: number; p95: number };
  joinToFirstVideoRtpMs: { p50: number; p95: number };
  joinToFirstFrameMs: { p50: number; p95: number };
  pageLoadMs: { p50: number; p95: number };
  pages: WebRtcPage[];
  /** The SRTP suites the pages negotiated, in mediasoup's names (the bench's counted legs use this one). */
  srtpCiphers: string[];
  /** Pages that failed (no frame within the timeout, page error), with why. */
  failures: string[];
}

const PAGE_TIMEOUT_MS = 20_000;

/** Chromium's `srtpCipher` (BoringSSL's DTLS-SRTP profile name, e.g. SRTP_AEAD_AES_256_GCM) in mediasoup's naming. */
export function mediasoupSuiteName(srtpCipher: string): string {
  const known: Record<string, string> = {
    SRTP_AEAD_AES_256_GCM: 'AEAD_AES_256_GCM',
    SRTP_AEAD_AES_128_GCM: 'AEAD_AES_128_GCM',
    SRTP_AES128_CM_SHA1_80: 'AES_CM_128_HMAC_SHA1_80',
    SRTP_AES128_CM_SHA1_32: 'AES_CM_128_HMAC_SHA1_32',
  };
  return known[srtpCipher] ?? srtpCipher;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : NaN);
const p50p95 = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });

/** One attendee page: open the link, type a name, click join, time first RTP and first frame. */
async function measurePage(browser: Browser, url: string, index: number): Promise<WebRtcPage> {
  const page = await newPage(browser, `webrtc-${index}`);
  try {
    // Under tsx (npm run bench) esbuild's keepNames wraps the evaluated function's inner named
    // functions in __name(), which the page does not have.
    await page.addInitScript('globalThis.__name ??= (f) => f;');
    await page.goto(url);
    await page.getByTestId('display-name').fill(`WebRTC viewer ${index}`);
    const r = await page.evaluate(async (timeoutMs: number) => {
      type Stats = Array<Record<string, unknown>>;
      const hook = () => (window as unknown as { teleclass?: { stats: () => Promise<Stats> } }).teleclass;
      const video = () => document.querySelector<HTMLVideoElement>('[data-testid="lecture-video"]');
      const button = document.querySelector<HTMLButtonElement>('[data-testid="join"]');
      if (!button) throw new Error('no join button');
      const out = { clickAt: 0, rtpAt: -1, videoRtpAt: -1, frameAt: -1, srtpCipher: '' };
      let statsBusy = false;
      let hooked: HTMLVideoElement | null = null;
      const frameSeen = (t: number) => {
        if (out.frameAt < 0 || t < out.frameAt) out.frameAt = t;
      };
      return new Promise<typeof out>((resolve, reject) => {
        const finish = () => {
          clearInterval(timer);
          resolve(out);
        };
        const tick = () => {
          const now = performance.now();
          if (now - out.clickAt > timeoutMs) {
            clearInterval(timer);
            reject(new Error(`timed out: ${JSON.stringify({ ...out, now })}`));
            return;
          }
          const v = video();
          if (v && v !== hooked) {
            hooked = v;
            if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback((t, meta) => frameSeen(Math.min(t, meta.presentationTime)));
          }
          if (out.frameAt < 0 && v && v.getVideoPlaybackQuality().totalVideoFrames > 0) frameSeen(now);
          const h = hook();
          if (h && !statsBusy && (out.rtpAt < 0 || out.videoRtpAt < 0 || !out.srtpCipher)) {
            statsBusy = true;
            h.stats()
              .then((stats) => {
                const at = performance.now();
                for (const s of stats) {
                  if (s['type'] === 'transport' && typeof s['srtpCipher'] === 'string') out.srtpCipher = s['srtpCipher'];
                  if (s['type'] !== 'inbound-rtp' || Number(s['packetsReceived'] ?? 0) <= 0) continue;
                  if (out.rtpAt < 0) out.rtpAt = at;
                  if (s['kind'] === 'video' && out.videoRtpAt < 0) out.videoRtpAt = at;
                }
              })
              .catch(() => undefined) // no receiving transport yet
              .finally(() => (statsBusy = false));
          }
          if (out.rtpAt >= 0 && out.videoRtpAt >= 0 && out.frameAt >= 0 && out.srtpCipher) finish();
        };
        const timer = setInterval(tick, 10);
        out.clickAt = performance.now();
        button.click();
      });
    }, PAGE_TIMEOUT_MS);
    return {
      pageLoadMs: round(r.clickAt),
      firstRtpMs: round(r.rtpAt - r.clickAt),
      firstVideoRtpMs: round(r.videoRtpAt - r.clickAt),
      firstFrameMs: round(r.frameAt - r.clickAt),
      srtpCipher: r.srtpCipher,
    };
  } finally {
    await page.context().close();
  }
}

/** Joins `pages` Chromium attendees one at a time on the attendee link and summarises them. */
export async function measureWebRtcSample(attendeeUrl: string, pages: number, log: (line: string) => void): Promise<WebRtcSample> {
  const browser = await launchChromium();
  const measured: WebRtcPage[] = [];
  const failures: string[] = [];
  try {
    for (let i = 0; i < pages; i++) {
      try {
        const p = await measurePage(browser, attendeeUrl, i);
        measured.push(p);
        log(`  WebRTC page ${i}: load ${p.pageLoadMs} ms, join → first RTP ${p.firstRtpMs} ms, → first video RTP ${p.firstVideoRtpMs} ms, → first frame ${p.firstFrameMs} ms, SRTP ${p.srtpCipher}`);
      } catch (error) {
        failures.push(`page ${i}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        log(`  WebRTC page ${i} failed: ${failures.at(-1)}`);
      }
    }
    return {
      label: `WebRTC (Chromium, n=${measured.length})`,
      requested: pages,
      n: measured.length,
      chromium: browser.version(),
      joinToFirstRtpMs: p50p95(measured.map((p) => p.firstRtpMs)),
      joinToFirstVideoRtpMs: p50p95(measured.map((p) => p.firstVideoRtpMs)),
      joinToFirstFrameMs: p50p95(measured.map((p) => p.firstFrameMs)),
      pageLoadMs: p50p95(measured.map((p) => p.pageLoadMs)),
      pages: measured,
      srtpCiphers: [...new Set(measured.map((p) => mediasoupSuiteName(p.srtpCipher)))],
      failures,
    };
  } finally {
    await browser.close();
  }
}
