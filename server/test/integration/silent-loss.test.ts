// A silent loss (the network stops carrying packets, no error, no FIN) is known within
// SOCKET_PING_INTERVAL_MS + SOCKET_PING_TIMEOUT_MS (5 s by default): a real socket.io client on
// loopback stops reading its socket, so the server's pings go unanswered; the server detaches the
// participant (held for a resume, SESSION_RESUME_GRACE_SECONDS, 1 s here), lets it go when the
// grace ends and closes its attendance session at the moment the loss was known.
import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { waitFor } from '../helpers.js';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';

const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1', SESSION_RESUME_GRACE_SECONDS: '1' });

/** The TCP socket under the client's WebSocket (engine.io-client → ws → net.Socket). */
function tcpOf(peer: { socket: { io: { engine: unknown } } }): NetSocket {
  const engine = peer.socket.io.engine as { transport?: { ws?: { _socket?: NetSocket } } };
  const tcp = engine.transport?.ws?._socket;
  if (!tcp) throw new Error('no TCP socket under the WebSocket');
  return tcp;
}

describe('presence under a silent loss', () => {
  it('defaults to a 2.5 s ping interval and a 2.5 s timeout: at most 5 s to know', () => {
    const config = parseConfig({});
    expect(config.SOCKET_PING_INTERVAL_MS + config.SOCKET_PING_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
  });

  it('the server knows a silent client is gone within ~5 s and closes its session', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = ctx.peer(l.trainer);
    await trainer.join();
    const site = ctx.peer(l.site('Ganja'));
    const joined = await site.join();
    const room = ctx.server.registry.get(l.lecture.id)!;
    const record = async () => (await ctx.server.store.listAttendance(l.lecture.id)).find((r) => r.role === 'site');
    await ctx.server.registry.settled();
    expect((await record())?.leftAt).toBeNull();

    // Silence: the client reads nothing more (no pong goes back), the connection stays open.
    tcpOf(site).pause();
    const cutAt = Date.now();
    await waitFor(() => room.attachmentOf(joined.self.id) === undefined, 15_000, 'the server to see the site gone');
    const knownAfterMs = Date.now() - cutAt;
    const left = await waitFor(async () => {
      const r = await record();
      return r?.leftAt != null ? r : undefined;
    }, 15_000, 'the grace to end');
    // The session ends when the loss was known, not when the grace ended.
    expect(left.leftAt! - cutAt).toBeLessThanOrEqual(knownAfterMs + 50);
    console.log(`SILENT-LOSS known after ${knownAfterMs} ms`);
    expect(left.leftReason).toBe('disconnected');
    // Ping interval + timeout (5 s) plus the poll and a loaded machine's timers.
    expect(knownAfterMs).toBeLessThan(7_000);
    expect(knownAfterMs).toBeGreaterThan(2_000); // the ping timeout, not something else, let it go
    expect(room.lecture.participants.map((p) => p.role)).toEqual(['trainer']);
  }, 60_000);
});
