// Debian Chromium driven by playwright-core, with fake camera, microphone and screen.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../server/src/config.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

export interface LaunchOptions {
  /**
   * Whether pages may play sound without a click (`--autoplay-policy=no-user-gesture-required`,
   * as the kiosk launcher sets it). Default true. False is Chromium's own default policy,
   * `document-user-activation-required` (said explicitly): sound waits for a click, as on a kiosk
   * nobody set up. Mind that every Playwright evaluation or wait in a page counts as a click there.
   */
  autoplay?: boolean;
  /** Another program starting Chromium (e.g. a script running it in a network namespace); it gets Chromium's arguments. */
  executablePath?: string;
}

export async function launchChromium({ autoplay = true, executablePath = CHROMIUM }: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm test installs Debian's chromium (scripts/setup.sh --test)`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--auto-select-desktop-capture-source=Entire screen',
      `--autoplay-policy=${autoplay ? 'no-user-gesture-required' : 'document-user-activation-required'}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      // Several pages share two cores: keep background pages running at full speed.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** A phone: touch, the page's meta viewport honoured, 3 device pixels a CSS pixel. */
  phone?: boolean;
}

export async function newPage(browser: Browser, name: string, { width = 1280, height = 720, phone = false }: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width, height },
    ...(phone && { isMobile: true, hasTouch: true, deviceScaleFactor: 3 }),
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || process.env['E2E_CONSOLE']) console.log(`[${name}] ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => console.log(`[${name}] pageerror: ${err.message}`));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT_DIR, `${name}.png`) });
}

/** Frames decoded so far by a <video> (0 when it has none yet). */
export function decodedFrames(page: Page, testId: string): Promise<{ width: number; frames: number }> {
  return page.evaluate((id) => {
    const v = document.querySelector<HTMLVideoElement>(`[data-testid="${id}"]`);
    if (!v) return { width: 0, frames: 0 };
    return { width: v.videoWidth, frames: v.getVideoPlaybackQuality().totalVideoFrames };
  }, testId);
}

/** Waits until a video plays: it has a size and its decoded frame count keeps growing. */
export async function expectVideoPlays(page: Page, testId: string, timeoutMs = 20_000): Promise<{ width: number; frames: number }> {
  const deadline = Date.now() + timeoutMs;
  let first: { width: number; frames: number } | undefined;
  for (;;) {
    const now = await decodedFrames(page, testId);
    if (now.width > 0 && now.frames > 0) {
      if (!first) first = now;
      else if (now.frames >= first.frames + 10) return now;
    }
    if (Date.now() > deadline) throw new Error(`${testId} does not play: ${JSON.stringify({ first, now })}`);
    await page.waitForTimeout(200);
  }
}

/** Inbound audio RTP packets counted by the page's receiving RTCPeerConnection. */
export function inboundAudioPackets(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    if (!hook) return 0;
    const stats = await hook.stats();
    return stats
      .filter((s) => s['type'] === 'inbound-rtp' && s['kind'] === 'audio')
      .reduce((sum, s) => sum + Number(s['packetsReceived'] ?? 0), 0);
  });
}

export async function expectAudioFlows(page: Page, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let first = -1;
  for (;;) {
    const n = await inboundAudioPackets(page);
    if (n > 0 && first < 0) first = n;
    if (first > 0 && n >= first + 20) return n;
    if (Date.now() > deadline) throw new Error(`no growing inbound audio: first ${first}, now ${n}`);
    await page.waitForTimeout(200);
  }
}

/** Inbound audio streams of the page's receiving RTCPeerConnection: id → packets received. */
export function inboundAudioStreams(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { stats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    if (!hook) return {};
    const streams: Record<string, number> = {};
    for (const s of await hook.stats()) {
      if (s['type'] === 'inbound-rtp' && s['kind'] === 'audio') streams[String(s['id'])] = Number(s['packetsReceived'] ?? 0);
    }
    return streams;
  });
}

/**
 * Waits until at least `count` inbound audio streams receive: each has packets, and each has
 * grown by 10 packets since it was first seen (e.g. the trainer's and a classroom's microphones).
 */
export async function expectAudioStreams(page: Page, count: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const first = new Map<string, number>();
  for (;;) {
    const now = await inboundAudioStreams(page);
    let flowing = 0;
    for (const [id, packets] of Object.entries(now)) {
      if (packets <= 0) continue;
      if (!first.has(id)) first.set(id, packets);
      if (packets >= first.get(id)! + 10) flowing++;
    }
    if (flowing >= count) return flowing;
    if (Date.now() > deadline) throw new Error(`expected ${count} flowing audio streams, got ${flowing}: ${JSON.stringify(now)}`);
    await page.waitForTimeout(250);
  }
}

/** Outbound RTP packets of the page's sending transport, by kind (the studio, or a participant on stage). */
export function outboundPackets(page: Page): Promise<{ audio: number; video: number }> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { teleclass?: { sendStats: () => Promise<Array<Record<string, unknown>>> } }).teleclass;
    const out = { audio: 0, video: 0 };
    if (!hook) return out;
    for (const s of await hook.sendStats()) {
      if (s['type'] !== 'outbound-rtp') continue;
      if (s['kind'] === 'audio') out.audio += Number(s['packetsSent'] ?? 0);
      if (s['kind'] === 'video') out.video += Number(s['packetsSent'] ?? 0);
    }
    return out;
  });
}

/** Waits for an element with this test id to be on the page (or, with `gone`, to leave it). */
export async function waitForTestId(page: Page, testId: string, gone = false, timeoutMs = 20_000): Promise<void> {
  await page.getByTestId(testId).first().waitFor({ state: gone ? 'detached' : 'visible', timeout: timeoutMs });
}
