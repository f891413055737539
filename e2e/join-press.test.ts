// The attendee page in Chromium, from its load to the picture: it opens its connection, loads its
// media device (`routerCapabilities`) and has its receiving transport opened and connected with
// the DTLS parameters of the page's own certificate (`prepareRecv`) while the name screen shows,
// before the join press; the press then sends `join` carrying the device's capabilities, and its
// answer brings that transport, connected, and the consumers: no createTransport,
// connectTransport, consume or resumeConsumer before the video plays.
import type { Page, WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();

/** The socket.io requests a page sends (event names, in order), and the answers it got (by ack id). */
function watchSocket(page: Page): { sent: { name: string; payload: string }[]; acks: Map<string, string> } {
  const sent: { name: string; payload: string }[] = [];
  const acks = new Map<string, string>();
  page.on('websocket', (ws: WebSocket) => {
    if (!ws.url().includes('/socket.io/')) return;
    ws.on('framesent', ({ payload }) => {
      const m = /^42(\d*)\["([^"]+)",?(.*)\]$/s.exec(String(payload));
      if (m) sent.push({ name: m[2]!, payload: `${m[1]}|${m[3]}` });
    });
    ws.on('framereceived', ({ payload }) => {
      const m = /^43(\d+)(.*)$/s.exec(String(payload));
      if (m) acks.set(m[1]!, m[2]!);
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
    // The name screen: the connection is up, the capabilities answered and the receiving
    // transport opened and connected with the page's own certificate, before anything is typed.
    const answered = (name: string) => {
      const asked = socket.sent.find((e) => e.name === name);
      return asked !== undefined && socket.acks.has(asked.payload.split('|')[0]!);
    };
    await expect.poll(() => answered('routerCapabilities') && answered('prepareRecv'), { timeout: 15_000 }).toBe(true);
    expect(socket.sent.map((e) => e.name)).toEqual(['routerCapabilities', 'prepareRecv']);
    expect(socket.sent[1]!.payload).toContain('"dtlsParameters"');
    const ackOf = (name: string) => socket.acks.get(socket.sent.find((e) => e.name === name)!.payload.split('|')[0]!)!;
    const prepared = /"transportId":"([^"]+)"/.exec(ackOf('prepareRecv'))?.[1];
    expect(prepared).toEqual(expect.any(String));

    await page.getByTestId('display-name').fill('Leyla');
    await page.getByTestId('join').click();
    await expectVideoPlays(page, 'lecture-video');
    const names = socket.sent.map((e) => e.name);
    // One socket, reused: the join is the first request after the press and carries the capabilities.
    expect(names[2]).toBe('join');
    expect(socket.sent[2]!.payload).toContain('"rtpCapabilities"');
    // …and the DTLS parameters of the page's own certificate: the server connected the receiving
    // transport in the join, so Chromium's handshake ran on that certificate with no
    // connectTransport (the video playing is the handshake having passed the fingerprint check).
    expect(socket.sent[2]!.payload).toContain('"dtlsParameters"');
    // The join took over the transport prepared on the name screen: its answer is that transport, connected.
    expect(ackOf('join')).toContain(`"recvTransport":{"id":"${prepared}"`);
    expect(ackOf('join')).toContain('"recvConnected":true');
    const beforeVideo = names.filter((n) => ['createTransport', 'connectTransport', 'consume', 'resumeConsumer'].includes(n));
    expect(beforeVideo).toEqual([]);
  }, 120_000);
});
