// Classroom control over real sockets and a real worker: tokens at the handshake, the floor,
// moderation, the lobby, chat and attendance.
import { describe, expect, it, vi } from 'vitest';
import { apiRequest, createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';

const ctx = useLectureServer();
const peer = ctx.peer.bind(ctx);

describe('join tokens at the socket handshake', () => {
  it('refuses a missing, forged, expired, other-lecture or deleted-lecture token', async () => {
    const a = await createTestLecture(ctx.server);
    const b = await createTestLecture(ctx.server);
    expect(await peer(undefined).handshakeRefusal()).toBe('UNAUTHORIZED');
    expect(await peer('not.a.jwt').handshakeRefusal()).toBe('UNAUTHORIZED');

    // Forged: the site's token with the role changed to trainer, signature kept.
    const [header, payload, signature] = a.site('Ganja').split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, role: 'trainer', sub: 'trainer' })).toString('base64url'), signature].join('.');
    expect(await peer(forged).handshakeRefusal()).toBe('UNAUTHORIZED');

    const expired = await ctx.server.tokens.sign({ lectureId: a.lecture.id, role: 'site', identity: 'site:Ganja', site: 'Ganja' }, new Date(Date.now() - 1000));
    expect(await peer(expired).handshakeRefusal()).toBe('TOKEN_EXPIRED');

    // A page of lecture B opened with lecture A's link.
    expect(await peer(a.trainer, { lectureId: b.lecture.id }).handshakeRefusal()).toBe('UNAUTHORIZED');
    await peer(a.trainer, { lectureId: a.lecture.id }).connected();

    expect((await apiRequest(ctx.server, 'DELETE', `/api/lectures/${b.lecture.id}`)).status).toBe(204);
    expect(await peer(b.trainer).handshakeRefusal()).toBe('NOT_FOUND');
  });

  it('role and identity come from the token, never from the payload', async () => {
    const l = await createTestLecture(ctx.server);
    const site = peer(l.site('Sheki'));
    const answer = await site.join('I am the trainer');
    expect(answer.self).toMatchObject({ role: 'site', displayName: 'Sheki', identity: 'site:Sheki' });
    expect(await site.refusal('startLecture', {})).toBe('FORBIDDEN');
  });

  it('the same identity again replaces the stale connection (a kiosk that reloaded)', async () => {
    const l = await createTestLecture(ctx.server);
    const first = peer(l.site('Ganja'));
    const firstJoin = await first.join();
    const second = peer(l.site('Ganja'));
    const secondJoin = await second.join();
    await first.waitForNotification('replaced');
    await waitFor(() => !first.socket.connected, 3000, 'the stale socket to close');
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.lecture.participants.map((p) => p.id)).toEqual([secondJoin.self.id]);
    expect(secondJoin.self.id).not.toBe(firstJoin.self.id);
  });
});

describe('raise hand and the floor', () => {
  it('hand queue in order → give the floor → everyone gets the site; take it back → its media stops', async () => {
    const l = await createTestLecture(ctx.server, { sites: ['Ganja', 'Sheki'] });
    const trainer = peer(l.trainer);
    const ganja = peer(l.site('Ganja'));
    const sheki = peer(l.site('Sheki'));
    const attendee = peer(l.attendee);
    await trainer.join();
    const g = await ganja.join();
    const s = await sheki.join();
    await attendee.join('Leyla');
    await trainer.request('startLecture', {});

    // Not on stage: a site can neither open a sending transport nor produce its microphone.
    expect(await ganja.refusal('createTransport', { direction: 'send' })).toBe('FORBIDDEN');

    await sheki.request('raiseHand', {});
    await ganja.request('raiseHand', {});
    await ganja.request('raiseHand', {}); // twice keeps its place
    const queue = await trainer.waitForNotification('hands', (m) => m.hands.length === 2);
    expect(queue.hands.map((h: { displayName: string }) => h.displayName)).toEqual(['Sheki', 'Ganja']);
    expect(queue.hands[0]).toMatchObject({ role: 'site', site: 'Sheki', raisedAt: expect.any(Number) });

    await trainer.request('giveFloor', { peerId: g.self.id });
    expect((await ganja.waitForNotification('lectureState', (v) => v.state === 'live')).stageSize).toBe(1); // STAGE_SIZE
    const stage = await ganja.waitForNotification('stage', (m) => m.stage.length === 1);
    expect(stage.stage[0]).toMatchObject({ peerId: g.self.id, displayName: 'Ganja', site: 'Ganja' });
    await trainer.waitForNotification('hands', (m) => m.hands.length === 1); // Ganja's hand went down
    expect(await trainer.refusal('giveFloor', { peerId: s.self.id })).toBe('STAGE_FULL'); // STAGE_SIZE=1

    await ganja.openSend();
    const cam = await ganja.produceCamera();
    const mic = await ganja.produceMicrophone();
    expect(await ganja.refusal('produce', {
      transportId: ganja.sendTransport!.id, kind: 'video', source: 'screen',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }] },
    })).toBe('FORBIDDEN'); // slides are the trainer's

    await attendee.openRecv();
    for (const id of [cam.id, mic.id]) {
      const added = await attendee.waitForNotification('producerAdded', (p) => p.id === id);
      expect(added.peerId).toBe(g.self.id);
      await attendee.consume(id);
    }

    await trainer.request('takeFloor', { peerId: g.self.id });
    await attendee.waitForNotification('producerClosed', (m) => m.producerId === mic.id);
    await attendee.waitForNotification('stage', (m) => m.stage.length === 0);
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.media.producerOf(g.self.id, 'microphone')).toBeUndefined();
    expect(room.media.producerOf(g.self.id, 'camera')).toBeUndefined();
    // And the microphone cannot come back without the floor.
    await expect(ganja.produceMicrophone()).rejects.toThrow(/FORBIDDEN/);
  });
});

describe('going live', () => {
  it('answers startLecture with the lecture after an automatic recording started (REC is not hidden by a stale view)', async () => {
    const l = await createTestLecture(ctx.server);
    await ctx.server.store.updateLecture(l.lecture.id, { autoRecord: true });
    const trainer = peer(l.trainer);
    await trainer.join();
    const view = await trainer.request('startLecture', {});
    expect(view.recordingSince).toEqual(expect.any(Number));
    const ended = await trainer.request('endLecture', {});
    expect(ended.recordingSince).toBeNull();
  });

  it('records by itself when it goes live, not on every change after: a recording the trainer stopped stays stopped as people join', async () => {
    const l = await createTestLecture(ctx.server);
    await ctx.server.store.updateLecture(l.lecture.id, { autoRecord: true });
    const trainer = peer(l.trainer);
    await trainer.join();
    expect((await trainer.request('startLecture', {})).recordingSince).toEqual(expect.any(Number));
    expect((await trainer.request('stopRecording', {})).recordingSince).toBeNull();
    // People come and go (each a change of the lecture's state): no store read for it (their
    // connections, whose handshake reads the lecture, are up before), no new recording.
    const comers = await Promise.all([peer(l.attendee), peer(l.attendee), peer(l.attendee), peer(l.site('Ganja'))].map((p) => p.connected()));
    const reads = vi.spyOn(ctx.server.store, 'getLecture');
    for (const [i, comer] of comers.entries()) await comer.join(i < 3 ? `Attendee ${i}` : undefined);
    await comers[0]!.request('raiseHand', {});
    // (An automatic start reads whether the lecture records by itself first: none did.)
    expect(reads).not.toHaveBeenCalled();
    expect(ctx.server.registry.get(l.lecture.id)!.lecture.view().recordingSince).toBeNull();
    reads.mockRestore();
    // Ended and live again: that is going live, and it records by itself again.
    await trainer.request('endLecture', {});
    expect((await trainer.request('startLecture', {})).recordingSince).toEqual(expect.any(Number));
    await trainer.request('endLecture', {});
  });
});

describe('the end of a lecture', () => {
  it('closes attendance at the end time, makes the chat read-only and offers the recording link', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const ganja = peer(l.site('Ganja'));
    await trainer.join();
    await ganja.join();
    await trainer.request('startLecture', {});
    expect(await ganja.refusal('recordingLink', {})).toBe('INVALID_STATE'); // only after the end
    const ended = await trainer.request('endLecture', {});
    const records = async () => ctx.server.registry.settled().then(() => ctx.server.store.listAttendance(l.lecture.id));
    // Everyone's session closes at the end time, though the kiosk stays connected.
    expect((await records()).map((r) => [r.role, r.leftAt, r.leftReason])).toEqual([
      ['trainer', ended.endedAt, 'lecture-ended'],
      ['site', ended.endedAt, 'lecture-ended'],
    ]);
    await ctx.server.registry.touchAttendance(Date.now() + 60_000); // a heartbeat later changes nothing
    expect((await records()).every((r) => r.leftAt === ended.endedAt)).toBe(true);
    // Joining an ended lecture does not count as attendance.
    await peer(l.attendee).join('Late');
    expect(await records()).toHaveLength(2);
    expect(await ganja.refusal('sendChat', { text: 'anyone?' })).toBe('LECTURE_ENDED');
    expect(await ganja.request('recordingLink', {})).toEqual({ url: null });

    // Live again: whoever is present starts a new session.
    await trainer.request('startLecture', {});
    expect((await records()).filter((r) => r.leftAt === null).map((r) => r.role).sort()).toEqual(['attendee', 'site', 'trainer']);
  });
});

describe('the floor for an attendee is an invitation', () => {
  it('invited first; decline tells the trainer; accept puts them on stage; an invitation holds a place and can be withdrawn', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const leyla = peer(l.attendee);
    await trainer.join();
    const a = await leyla.join('Leyla');
    await trainer.request('startLecture', {});
    expect(await leyla.refusal('answerFloor', { accept: true })).toBe('INVALID_STATE'); // not invited

    await trainer.request('giveFloor', { peerId: a.self.id });
    const invited = await leyla.waitForNotification('invitations', (m) => m.invited.length === 1);
    expect(invited.invited[0]).toMatchObject({ peerId: a.self.id, displayName: 'Leyla' });
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.lecture.onStage(a.self.id)).toBe(false);
    expect(await leyla.refusal('createTransport', { direction: 'send' })).toBe('FORBIDDEN'); // nothing sent before accepting
    const ganja = peer(l.site('Ganja'));
    const g = await ganja.join();
    expect(await trainer.refusal('giveFloor', { peerId: g.self.id })).toBe('STAGE_FULL'); // the invitation holds the place

    await leyla.request('answerFloor', { accept: false });
    expect(await trainer.waitForNotification('floorDeclined')).toEqual({ peerId: a.self.id, displayName: 'Leyla' });
    await leyla.waitForNotification('invitations', (m) => m.invited.length === 0);
    expect(room.lecture.onStage(a.self.id)).toBe(false);

    await trainer.request('giveFloor', { peerId: a.self.id });
    await trainer.request('takeFloor', { peerId: a.self.id }); // withdrawn before an answer
    expect(await leyla.refusal('answerFloor', { accept: true })).toBe('INVALID_STATE');

    await trainer.request('giveFloor', { peerId: a.self.id });
    await leyla.request('answerFloor', { accept: true });
    await leyla.waitForNotification('stage', (m) => m.stage.some((s: { peerId: string }) => s.peerId === a.self.id));
    expect(room.lecture.onStage(a.self.id)).toBe(true);
  });
});

describe('moderation and the lobby', () => {
  it('mute pauses the participant microphone on the server; remove disconnects and refuses the token', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const ganja = peer(l.site('Ganja'));
    await trainer.join();
    const g = await ganja.join();
    await trainer.request('startLecture', {});
    await trainer.request('giveFloor', { peerId: g.self.id });
    await ganja.openSend();
    const mic = await ganja.produceMicrophone();

    await trainer.request('muteParticipant', { peerId: g.self.id });
    expect((await ganja.waitForNotification('mutedByTrainer')).producerId).toBe(mic.id);
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.media.producerOf(g.self.id, 'microphone')?.paused).toBe(true);
    await ganja.request('resumeProducer', { producerId: mic.id }); // they may unmute themselves

    await trainer.request('removeParticipant', { peerId: g.self.id });
    expect((await ganja.waitForNotification('removed')).reason).toMatch(/removed/);
    await waitFor(() => !ganja.socket.connected, 3000, 'the removed socket to close');
    expect(await peer(l.site('Ganja')).handshakeRefusal()).toBe('REMOVED');
    expect(await trainer.refusal('removeParticipant', { peerId: trainer.notifications.length ? 'nobody' : 'x' })).toBe('NOT_FOUND');
  });

  it('a locked lecture keeps attendees in the lobby until admitted; sites always get in', async () => {
    const l = await createTestLecture(ctx.server, { locked: true });
    const trainer = peer(l.trainer);
    await trainer.join();
    const site = peer(l.site('Ganja'));
    expect((await site.join()).status).toBe('joined');

    const attendee = peer(l.attendee);
    await attendee.connected();
    const waiting = await attendee.request('join', { displayName: 'Leyla' });
    expect(waiting.status).toBe('lobby');
    expect(waiting.sessionToken).toEqual(expect.any(String));
    expect(await attendee.refusal('sendChat', { text: 'hello?' })).toBe('NOT_JOINED');
    // The trainer hears deltas: who started waiting (and later, who stopped).
    const lobby = await trainer.waitForNotification('lobby', (m) => m.added.length === 1);
    expect(lobby.added[0].displayName).toBe('Leyla');

    await trainer.request('admit', { peerId: lobby.added[0].peerId });
    await trainer.waitForNotification('lobby', (m) => m.removed.includes(lobby.added[0].peerId));
    await attendee.waitForNotification('admitted');
    const joined = await attendee.join();
    expect(joined.self.displayName).toBe('Leyla');

    // Unlocking lets everyone waiting in.
    const second = peer(l.attendee);
    await second.connected();
    expect((await second.request('join', { displayName: 'Rashad' })).status).toBe('lobby');
    const view = await trainer.request('setLocked', { locked: false });
    expect(view.locked).toBe(false);
    await second.waitForNotification('admitted');
    expect((await second.join()).status).toBe('joined');
  });

  it('someone waiting in the lobby hears that the lecture ended', async () => {
    const l = await createTestLecture(ctx.server, { locked: true });
    const trainer = peer(l.trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    const waiting = peer(l.attendee);
    await waiting.connected();
    expect((await waiting.request('join', { displayName: 'Leyla' })).status).toBe('lobby');
    await trainer.request('endLecture', {});
    expect((await waiting.waitForNotification('lectureState', (v) => v.state === 'ended')).state).toBe('ended');
  });

  it('deleting a lecture while people are in it lets them go and closes it', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const site = peer(l.site('Ganja'));
    await trainer.join();
    await site.join();
    expect((await apiRequest(ctx.server, 'DELETE', `/api/lectures/${l.lecture.id}`)).status).toBe(204);
    expect((await site.waitForNotification('removed')).reason).toMatch(/deleted/);
    await waitFor(() => !site.socket.connected && !trainer.socket.connected, 3000, 'both sockets to close');
    await waitFor(() => ctx.server.registry.size === 0, 3000, 'the room to close');
    expect(await peer(l.site('Ganja')).handshakeRefusal()).toBe('NOT_FOUND');
  });
});

describe('chat and Q&A', () => {
  it('everyone posts; questions are marked answered; all of it is stored and rate-limited', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const attendee = peer(l.attendee);
    await trainer.join();
    await attendee.join('Leyla');

    const q = await attendee.request('sendChat', { text: 'What does article 5 say?', question: true });
    expect(q).toMatchObject({ authorName: 'Leyla', authorRole: 'attendee', isQuestion: true, answeredAt: null });
    expect((await trainer.waitForNotification('chatMessage', (m) => m.id === q.id)).text).toBe('What does article 5 say?');
    expect(await attendee.refusal('markAnswered', { messageId: q.id })).toBe('FORBIDDEN');
    const answered = await trainer.request('markAnswered', { messageId: q.id });
    expect(answered.answeredAt).toEqual(expect.any(Number));
    await attendee.waitForNotification('chatUpdated', (m) => m.id === q.id && m.answeredAt !== null);

    expect(await attendee.refusal('sendChat', { text: 'x'.repeat(1001) })).toBe('BAD_REQUEST');
    expect(await attendee.refusal('sendChat', { text: '   ' })).toBe('BAD_REQUEST');
    const codes = [];
    for (let i = 0; i < 8; i++) {
      const ack = await attendee.raw('sendChat', { text: `message ${i}` });
      codes.push(ack.ok ? 'ok' : ack.error.code);
    }
    expect(codes).toContain('RATE_LIMITED');

    // Stored with the lecture: a participant joining later gets the history.
    const late = peer(l.site('Ganja'));
    const history = (await late.join()).chat;
    expect(history.find((m) => m.id === q.id)?.answeredAt).toEqual(expect.any(Number));
    expect((await ctx.server.store.listChat(l.lecture.id)).length).toBe(history.length);
  });
});

describe('attendance', () => {
  it('records every join and leave; the trainer and the CSV show time per person and per site', async () => {
    const l = await createTestLecture(ctx.server, { sites: ['Ganja', 'Sheki'] });
    const trainer = peer(l.trainer);
    await trainer.join();
    const ganja = peer(l.site('Ganja'));
    await ganja.join();
    const attendee = peer(l.attendee);
    await attendee.join('Leyla, "the =clever" one');
    await new Promise((r) => setTimeout(r, 1100));
    await attendee.request('leave', {});
    ganja.socket.disconnect();
    await waitFor(async () => (await ctx.server.store.listAttendance(l.lecture.id)).filter((r) => r.leftAt !== null).length === 2, 3000, 'two leaves');

    const summary = await trainer.request('getAttendance', {});
    const leyla = summary.perPerson.find((p) => p.role === 'attendee')!;
    expect(leyla).toMatchObject({ name: 'Leyla, "the =clever" one', sessions: 1, present: false });
    expect(leyla.totalSeconds).toBeGreaterThanOrEqual(1);
    expect(summary.perPerson.find((p) => p.role === 'trainer')?.present).toBe(true);
    expect(summary.perSite).toEqual(expect.arrayContaining([
      expect.objectContaining({ site: 'Ganja', people: 1 }),
      expect.objectContaining({ site: 'Sheki', people: 0, totalSeconds: 0 }),
    ]));

    const csv = await apiRequest(ctx.server, 'GET', `/api/lectures/${l.lecture.id}/attendance.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const reasons = (await ctx.server.store.listAttendance(l.lecture.id)).map((r) => r.leftReason);
    expect(reasons).toEqual(expect.arrayContaining(['left', 'disconnected', null]));
    expect(csv.body).toContain('"Leyla, ""the =clever"" one"');
    expect(csv.body).toContain('Ganja');
    expect((await apiRequest(ctx.server, 'GET', `/api/lectures/${l.lecture.id}/attendance.csv`, undefined, null)).status).toBe(401);
  });
});
