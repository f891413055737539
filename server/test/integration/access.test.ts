// Who may come back: a removal covers the person's identity and the browser it came from;
// rotated links stop working at once and let go of whoever holds one; a second connection that
// takes over a classroom or the studio tells the first page and the trainer.
import { describe, expect, it } from 'vitest';
import { apiRequest, createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';

const ctx = useLectureServer();
const peer = (token: string, auth?: Record<string, string>) => ctx.peer(token, auth);
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('removal that sticks', () => {
  it('covers the personal identity and the browser; the shared link does not let the same browser back; the trainer can undo it', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const t = await trainer.join();
    expect(t.removed).toEqual([]);
    const first = peer(l.attendee);
    const joined = await first.join('Troll');
    expect(joined.deviceToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const device = joined.deviceToken!;

    await trainer.request('removeParticipant', { peerId: joined.self.id });
    const removals = await trainer.waitForNotification('removals', (m) => m.removed.length === 1);
    expect(removals.removed[0]).toMatchObject({ identity: joined.self.identity, displayName: 'Troll', role: 'attendee' });
    await waitFor(() => !first.socket.connected, 3000, 'the removed socket to close');

    // The same browser through the shared link again (a fresh identity would be made): refused.
    expect(await peer(l.attendee, { device }).handshakeRefusal()).toBe('REMOVED');
    // Its personal token: refused.
    expect(await peer(joined.sessionToken!).handshakeRefusal()).toBe('REMOVED');
    // A forged device token is just a new browser (no device id taken from it).
    const forged = `${device.slice(0, 37)}${'A'.repeat(43)}`;
    const other = await peer(l.attendee, { device: forged }).join('Someone else');
    expect(other.deviceToken).not.toBe(device);

    // Undo: the same browser may come back.
    await trainer.request('restoreParticipant', { identity: joined.self.identity });
    expect((await trainer.waitForNotification('removals', (m) => m.removed.length === 0)).removed).toEqual([]);
    expect((await peer(l.attendee, { device }).join('Troll again')).status).toBe('joined');
    expect(await trainer.refusal('restoreParticipant', { identity: joined.self.identity })).toBe('NOT_FOUND');
  });
});

describe('revocable links', () => {
  it('rotating all links: old ones are refused at once, holders are let go, new ones work', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    const ganja = peer(l.site('Ganja'));
    await ganja.join();
    const attendee = peer(l.attendee);
    const a = await attendee.join('Leyla');

    const res = await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, {});
    expect(res.status, res.body).toBe(200);
    expect(res.json.rotated).toEqual(['trainer', 'attendee', 'site:Ganja', 'site:Sheki']);
    for (const p of [trainer, ganja, attendee]) {
      await p.waitForNotification('linkRevoked');
      await waitFor(() => !p.socket.connected, 3000, 'the holder of an old link to be let go');
    }
    expect(await peer(l.trainer).handshakeRefusal()).toBe('LINK_REVOKED');
    expect(await peer(l.site('Ganja')).handshakeRefusal()).toBe('LINK_REVOKED');
    expect(await peer(a.sessionToken!).handshakeRefusal()).toBe('LINK_REVOKED'); // personal tokens of the old attendee link too
    expect((await peer(tokenOf(res.json.links.trainer)).join()).status).toBe('joined');
    const newGanja = res.json.links.sites.find((s: { site: string }) => s.site === 'Ganja').url;
    expect((await peer(tokenOf(newGanja)).join()).status).toBe('joined');
    // GET shows the current links, not the revoked ones.
    const got = await apiRequest(ctx.server, 'GET', `/api/lectures/${l.lecture.id}`);
    expect((await peer(tokenOf(got.json.links.attendee)).join('New')).status).toBe('joined');
  });

  it('rotating one site leaves every other link working; bad bodies are 400/404', async () => {
    const l = await createTestLecture(ctx.server);
    const res = await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, { role: 'site', site: 'sheki' });
    expect(res.status, res.body).toBe(200);
    expect(res.json.rotated).toEqual(['site:Sheki']);
    expect(await peer(l.site('Sheki')).handshakeRefusal()).toBe('LINK_REVOKED');
    expect((await peer(l.site('Ganja')).join()).status).toBe('joined');
    expect((await peer(l.trainer).join()).status).toBe('joined');
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, { role: 'site', site: 'Baku' })).status).toBe(404);
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, { site: 'Ganja' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, { role: 'admin' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'POST', '/api/lectures/nope/links/rotate', {})).status).toBe(404);
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${l.lecture.id}/links/rotate`, {}, null)).status).toBe(401);
  });
});

describe('takeover of an identity', () => {
  it('a classroom opened on a second PC: the first is told "replaced", the trainer "takenOver"', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    const first = peer(l.site('Ganja'));
    await first.join();
    await peer(l.site('Ganja')).join();
    await first.waitForNotification('replaced');
    expect(await trainer.waitForNotification('takenOver')).toEqual({ role: 'site', displayName: 'Ganja' });
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.lecture.participants.filter((p) => p.role === 'site')).toHaveLength(1);
  });

  it('the studio opened in a second window: the first is told, the new studio hears it took over', async () => {
    const l = await createTestLecture(ctx.server);
    const first = peer(l.trainer);
    await first.join();
    const second = peer(l.trainer);
    await second.join();
    await first.waitForNotification('replaced');
    expect(await second.waitForNotification('takenOver')).toEqual({ role: 'trainer', displayName: 'Dr. Aliyev' });
  });
});
