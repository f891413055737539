// The attendee page in Chromium, from its load to the picture: it opens its connection and loads
// its media device (`routerCapabilities`) while the name screen shows, before the join press; the
// press then sends `join` carrying the device's capabilities, and its answer brings the receiving
// transport and the consumers, and the join carries the DTLS parameters of the page's own
// certificate, so the server connects that transport in the join: no createTransport,
// connectTransport, consume or resumeConsumer before the video plays.
import type { Page, WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();

/** The socket.io requests a page sends (event names, in order), and the answers it got (by ack id). */
function watchSocket(page: Page): { sent: { name: string; payload: string }[]; acks: Set<string> } {
  const sent: { name: string; payload: string }[] = [];
  const acks = new Set<string>();
  page.on('websocket', (ws: WebSocket) => {
    if (!ws.url().includes('/socket.io/')) return;
    ws.on('framesent', ({ payload }) => {
      const m = /^42(\d*)\["([^"]+)",?(.*)\]$/s.exec(String(payload));
      if (m) sent.push({ name: m[2]!, payload: `${m[1]}|${m[3]}` });
    });
    ws.on('framereceived', ({ payload }) => {
      const m = /^43(\d+)/.exec(String(payload));
      if (m) acks.add(m[1]!);
    });
  });
  return { sent, acks };
}

describe('the attendee page, load → join press → picture', () => {
  it('connects and loads its device before the press; the press is one request from media', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Pre-connect', sites: [] });
    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectState(trainer, 'waiting');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const page = await newPage(ctx.browser, 'Leyla', { phone: true, width: 360, height: 740 });
    const socket = watchSocket(page);
    await page.goto(links.attendee);
    // The name screen: the connection is up and the capabilities answered before anything is typed.
    await expect
      .poll(() => {
        const asked = socket.sent.find((e) => e.name === 'routerCapabilities');
        return asked !== undefined && socket.acks.has(asked.payload.split('|')[0]!);
      }, { timeout: 15_000 })
      .toBe(true);
    expect(socket.sent.map((e) => e.name)).toEqual(['routerCapabilities']);

    await page.getByTestId('display-name').fill('Leyla');
    await page.getByTestId('join').click();
    await expectVideoPlays(page, 'lecture-video');
    const names = socket.sent.map((e) => e.name);
    // One socket, reused: the join is the first request after the press and carries the capabilities.
    expect(names[1]).toBe('join');
    expect(socket.sent[1]!.payload).toContain('"rtpCapabilities"');
    // …and the DTLS parameters of the page's own certificate: the server connected the receiving
    // transport in the join, so Chromium's handshake ran on that certificate with no
    // connectTransport (the video playing is the handshake having passed the fingerprint check).
    expect(socket.sent[1]!.payload).toContain('"dtlsParameters"');
    const beforeVideo = names.filter((n) => ['createTransport', 'connectTransport', 'consume', 'resumeConsumer'].includes(n));
    expect(beforeVideo).toEqual([]);
  }, 120_000);
});
