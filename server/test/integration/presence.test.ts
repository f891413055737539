// Who hears of whom (lecture/Presence.ts) and the lecture's counts told together (signaling/wiring.ts),
// over real socket.io on loopback: attendees are not told of every other attendee, the trainer and
// the classrooms are; an attendee given the floor is shown to everyone before the floor is told.
import { describe, expect, it } from 'vitest';
import { COUNTS_EVERY_MS } from '../../src/signaling/wiring.js';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';

const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1' });
const peer = ctx.peer.bind(ctx);
type Note = { name: string; data: unknown };
const about = (notes: Note[], name: string, id: string) =>
  notes.filter((n) => n.name === name && ((n.data as { id?: string; peerId?: string }).id ?? (n.data as { peerId?: string }).peerId) === id);

describe('presence', () => {
  it('attendees hear of the trainer and the classrooms, and of another attendee only once it is shown; the trainer and the classrooms hear of everyone', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const t = await trainer.join();
    const ganja = peer(l.site('Ganja'));
    const g = await ganja.join();
    const leyla = peer(l.attendee);
    const a = await leyla.join('Leyla');
    // The trainer and the classroom in Leyla's answer; Leyla in the trainer's and the classroom's notes.
    expect(a.peers.map((p) => p.id).sort()).toEqual([t.self.id, g.self.id].sort());
    await trainer.waitForNotification('participantJoined', (d) => d.id === a.self.id);
    await ganja.waitForNotification('participantJoined', (d) => d.id === a.self.id);

    const murad = peer(l.attendee);
    const m = await murad.join('Murad');
    expect(m.peers.map((p) => p.id).sort()).toEqual([t.self.id, g.self.id].sort()); // not Leyla
    await trainer.waitForNotification('participantJoined', (d) => d.id === m.self.id);
    await ganja.waitForNotification('participantJoined', (d) => d.id === m.self.id);
    // Every later note reaches Leyla after the ones before it: by the next `hands`, Murad's join would have.
    await murad.request('raiseHand', {});
    await leyla.waitForNotification('hands', (h) => h.hands.some((x: { peerId: string }) => x.peerId === m.self.id));
    expect(about(leyla.notifications, 'participantJoined', m.self.id)).toEqual([]);
    await murad.request('lowerHand', {});

    // Leyla given the floor: shown to everyone before the invitation is told, then on the stage.
    await trainer.request('startLecture', {});
    await trainer.request('giveFloor', { peerId: a.self.id });
    await murad.waitForNotification('invitations', (v) => v.invited.length === 1);
    const order = murad.notifications.map((n) => n.name);
    const shownAt = order.findIndex((name, i) => name === 'participantJoined' && about([murad.notifications[i]!], name, a.self.id).length === 1);
    expect(shownAt).toBeGreaterThanOrEqual(0);
    expect(shownAt).toBeLessThan(order.indexOf('invitations'));
    // A third attendee joining now finds Leyla (shown) in its answer, and not Murad.
    const nigar = peer(l.attendee);
    const n = await nigar.join('Nigar');
    expect(n.peers.map((p) => p.id).sort()).toEqual([t.self.id, g.self.id, a.self.id].sort());

    // Leaving: Leyla (shown) is told to every attendee; Murad (never shown) to the trainer and the classroom only.
    leyla.close();
    await murad.waitForNotification('participantLeft', (d) => d.peerId === a.self.id, 10_000);
    await nigar.waitForNotification('participantLeft', (d) => d.peerId === a.self.id, 10_000);
    murad.close();
    await trainer.waitForNotification('participantLeft', (d) => d.peerId === m.self.id, 10_000);
    await ganja.waitForNotification('participantLeft', (d) => d.peerId === m.self.id, 10_000);
    await nigar.request('raiseHand', {});
    await trainer.waitForNotification('hands', (h) => h.hands.some((x: { peerId: string }) => x.peerId === n.self.id));
    await nigar.waitForNotification('hands', (h) => h.hands.some((x: { peerId: string }) => x.peerId === n.self.id));
    expect(about(nigar.notifications, 'participantLeft', m.self.id)).toEqual([]);
  }, 30_000);

  it('people arriving together make few lectureState notes, with the final counts; a change of state is told at once', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    const before = trainer.notifications.filter((n) => n.name === 'lectureState').length;
    const started = Date.now();
    const joined = await Promise.all(Array.from({ length: 8 }, (_, i) => peer(l.attendee).join(`A${i}`)));
    expect(joined).toHaveLength(8);
    const last = await trainer.waitForNotification('lectureState', (v) => v.counts.attendees === 8, 5_000);
    expect(last.counts).toEqual({ trainers: 1, sites: 0, attendees: 8 });
    const told = trainer.notifications.filter((n) => n.name === 'lectureState').length - before;
    // One a COUNTS_EVERY_MS at most while they arrive (one each before: 8).
    expect(told).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / COUNTS_EVERY_MS) + 1);

    // Going live is told at once, counts included (not held back behind a pending count).
    await trainer.request('startLecture', {});
    const live = trainer.notifications.find((n) => n.name === 'lectureState' && (n.data as { state: string }).state === 'live');
    expect(live?.data).toMatchObject({ state: 'live', counts: { attendees: 8 } }); // before the answer
  }, 30_000);

  it('a change of the counts alone reaches the trainer and the classrooms within COUNTS_EVERY_MS and no attendee (their pages show no counts); a change of state reaches everyone at once, with the counts', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    const ganja = peer(l.site('Ganja'));
    await ganja.join();
    const leyla = peer(l.attendee);
    const joined = await leyla.join('Leyla');
    expect(joined.lecture.counts).toEqual({ trainers: 1, sites: 1, attendees: 1 }); // as of her join
    const toLeyla = () => leyla.notifications.filter((n) => n.name === 'lectureState').length;
    const before = toLeyla();
    const started = Date.now();
    const since = (p: Promise<unknown>) => p.then(() => Date.now() - started);
    const four = (v: { counts: { attendees: number } }) => v.counts.attendees === 4;
    const joining = Promise.all([1, 2, 3].map((i) => peer(l.attendee).join(`A${i}`)));
    const [toTrainer, toGanja] = await Promise.all([
      since(trainer.waitForNotification('lectureState', four, 5_000)),
      since(ganja.waitForNotification('lectureState', four, 5_000)),
      joining,
    ]);
    expect(toTrainer).toBeLessThan(COUNTS_EVERY_MS + 2_000);
    expect(toGanja).toBeLessThan(COUNTS_EVERY_MS + 2_000);
    // Nothing reaches Leyla for the counts alone: not within the 6 s the room's turn took before
    // (it was every 5 s), by which the watchers had theirs long ago.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(toLeyla() - before).toBe(0);

    // Going live reaches the attendee at once, with the counts of that moment.
    await peer(l.attendee).join('A4');
    await trainer.request('startLecture', {});
    const live = await leyla.waitForNotification('lectureState', (v) => v.state === 'live', 2_000);
    expect(live.counts).toEqual({ trainers: 1, sites: 1, attendees: 5 });
    expect(toLeyla() - before).toBe(1);
  }, 40_000);
});
