// A classroom's "audio and slides only" over real sockets and a real worker: the camera consumer is
// paused on the server for that classroom alone (not the sound), the classroom is told
// (receivePriority), the studio's site health shows it, a new receiving transport keeps it, and
// bad input is refused with a code.
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';

const ctx = useLectureServer();
const peer = ctx.peer.bind(ctx);

describe('audio and slides only', () => {
  it('pauses the camera for that viewer alone, is told to it and to the studio, and outlives its transport', async () => {
    const l = await createTestLecture(ctx.server, { sites: ['Gazakh'] });
    const trainer = peer(l.trainer);
    const site = peer(l.site('Gazakh'));
    const attendee = peer(l.attendee);
    await trainer.join();
    await site.join();
    await attendee.join('Leyla');
    await trainer.request('startLecture', {});
    await trainer.openSend();
    const camera = await trainer.produceCamera();
    const mic = await trainer.produceMicrophone();
    await site.openRecv();
    await attendee.openRecv();
    const siteCamera = await site.consume(camera.id);
    const siteMic = await site.consume(mic.id);
    const attendeeCamera = await attendee.consume(camera.id);

    const room = ctx.server.registry.get(l.lecture.id)!;
    const siteId = room.lecture.participants.find((p) => p.role === 'site')!.id;
    const paused = () => room.media.receivePriority(siteId)?.pausedConsumers ?? [];
    expect(paused()).toEqual([]);

    // The studio sees the classroom receiving everything.
    await trainer.waitForNotification('sitesHealth', (d) => d.sites.some((s: any) => s.name === 'Gazakh' && s.priority === 'full'), 6_000);

    const told = site.waitForNotification('receivePriority', (v) => v.manual === true);
    expect(await site.request('setReceiveMode', { audioSlidesOnly: true })).toEqual({ step: 'camera-off', manual: true });
    expect(await told).toEqual({ step: 'camera-off', manual: true });
    expect(paused()).toEqual([siteCamera.id]); // the camera only, never the sound
    expect(room.media.receivePriority(siteId)).toMatchObject({ step: 'camera-off', manual: true });
    await trainer.waitForNotification('sitesHealth', (d) => d.sites.some((s: any) => s.name === 'Gazakh' && s.priority === 'camera-off'), 6_000);

    // The classroom resuming the camera itself does not undo its choice; the sound is untouched;
    // the attendee still receives the camera.
    await site.request('resumeConsumer', { consumerId: siteCamera.id });
    expect(paused()).toEqual([siteCamera.id]);
    const attendeeId = room.lecture.participants.find((p) => p.role === 'attendee')!.id;
    expect(room.media.receivePriority(attendeeId)).toMatchObject({ step: 'full', manual: false, pausedConsumers: [] });
    expect(attendeeCamera.closed).toBe(false);
    expect(siteMic.closed).toBe(false);

    // A new receiving transport (a rebuilt connection) keeps the choice.
    site.recvTransport?.close();
    await site.openRecv();
    await waitFor(() => room.media.receivePriority(siteId)?.manual === true, 3_000, 'the choice on the new transport');

    // Everything again.
    expect(await site.request('setReceiveMode', { audioSlidesOnly: false })).toEqual({ step: 'full', manual: false });
    await site.request('closeConsumer', { consumerId: siteCamera.id });
    const fresh = await site.consume(camera.id); // on the new transport

    expect(room.media.receivePriority(siteId)?.pausedConsumers).not.toContain(fresh.id);

    // Bad input: a code, never a crash; the trainer does not choose what it receives this way.
    expect(await site.refusal('setReceiveMode', { audioSlidesOnly: 'yes' })).toBe('BAD_REQUEST');
    expect(await site.refusal('setReceiveMode', { audioSlidesOnly: true, extra: 1 })).toBe('BAD_REQUEST');
    expect(await trainer.refusal('setReceiveMode', { audioSlidesOnly: true })).toBe('FORBIDDEN');
  });

  it("never attaches the policy to the studio's receiving transport: its monitors are not held back", async () => {
    const l = await createTestLecture(ctx.server, { sites: ['Gazakh'] });
    const trainer = peer(l.trainer);
    const site = peer(l.site('Gazakh'));
    await trainer.join();
    await site.join();
    await trainer.request('startLecture', {});
    await trainer.openSend();
    const camera = await trainer.produceCamera();
    await trainer.openRecv(); // the studio's monitor of what it sends (a WHIP feed's program, the classrooms)
    await site.openRecv();
    await site.consume(camera.id);
    const room = ctx.server.registry.get(l.lecture.id)!;
    const id = (role: string) => room.lecture.participants.find((p) => p.role === role)!.id;
    expect(room.media.receivePriority(id('site'))).toMatchObject({ step: 'full' });
    // The studio has a receiving transport, and no policy on it: nothing can hold its monitors at a low layer.
    expect(trainer.recvTransport).toBeDefined();
    expect(room.media.receivePriority(id('trainer'))).toBeNull();
  });
});
