// The room's rules, without sockets: a real mediasoup worker and SQLite store, the real registry,
// room and use-cases; what must hold across an await is broken exactly during that await (the
// call is started, the state changed in the same tick, then the call awaited).
import { TeleclassError } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LectureRoom } from '../../src/lecture/LectureRegistry.js';
import type { WireRtpCapabilities } from '../../src/media/lectureMediaTypes.js';
import { SessionResumes } from '../../src/lecture/resume.js';
import { OPUS, RoomHarness, TestAttachment } from '../fixtures/roomHarness.js';
import { waitFor } from '../helpers.js';

let h: RoomHarness;
beforeAll(async () => {
  h = await RoomHarness.start();
});
afterAll(() => h?.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof TeleclassError ? e.code : `uncoded: ${String(e)}`),
  );

/** A live lecture with the trainer and a classroom in it. */
async function liveRoom() {
  const room = await h.room();
  const trainer = (await h.join(room, { role: 'trainer' })).via;
  const site = (await h.join(room, { role: 'site' })).via;
  room.start();
  return { room, trainer, site };
}

async function sendMicrophone(room: LectureRoom, via: TestAttachment): Promise<string> {
  const t = await room.streams.createTransport(via.actor, { direction: 'send' });
  return room.streams.produce(via.actor, { transportId: t.id, kind: 'audio', source: 'microphone', rtpParameters: OPUS as never });
}

describe('LectureRoom: the floor across the media server\'s await', () => {
  it('the floor taken back while mediasoup makes the producer: FORBIDDEN, the producer closed unseen', async () => {
    const { room, site } = await liveRoom();
    room.giveFloor(site.actor.participant.id);
    const t = await room.streams.createTransport(site.actor, { direction: 'send' });
    const added: string[] = [];
    room.media.on('produceradded', (p) => added.push(p.id));
    const producing = room.streams.produce(site.actor, { transportId: t.id, kind: 'audio', source: 'microphone', rtpParameters: OPUS as never });
    room.takeFloor(site.actor.participant.id); // while the worker is making the producer
    expect(await codeOf(producing)).toBe('FORBIDDEN');
    expect(room.media.producers()).toEqual([]);
    expect(added).toEqual([]);
    expect((await room.media.stats()).producers).toBe(0);
  });

  it('an unmute racing the floor taken back leaves the microphone paused', async () => {
    const { room, site } = await liveRoom();
    room.giveFloor(site.actor.participant.id);
    const mic = await sendMicrophone(room, site);
    await room.mute(site.actor.participant.id);
    const resuming = room.streams.resumeProducer(site.actor, mic);
    room.takeFloor(site.actor.participant.id);
    expect(await codeOf(resuming)).not.toBe('ok');
    expect(room.media.producers().filter((p) => !p.paused)).toEqual([]);
  });

  it('producing without the floor is refused before the media server is asked', async () => {
    const { room, site, trainer } = await liveRoom();
    expect(await codeOf(room.streams.createTransport(site.actor, { direction: 'send' }))).toBe('FORBIDDEN');
    room.giveFloor(site.actor.participant.id);
    const t = await room.streams.createTransport(site.actor, { direction: 'send' });
    expect(await codeOf(room.streams.produce(site.actor, { transportId: t.id, kind: 'video', source: 'screen', rtpParameters: OPUS as never }))).toBe('FORBIDDEN');
    room.end();
    expect(await codeOf(sendMicrophone(room, trainer))).toBe('LECTURE_ENDED');
  });

  it('the lecture ended while the trainer\'s producer is being made: refused, nothing left', async () => {
    const { room, trainer } = await liveRoom();
    const t = await room.streams.createTransport(trainer.actor, { direction: 'send' });
    const producing = room.streams.produce(trainer.actor, { transportId: t.id, kind: 'audio', source: 'microphone', rtpParameters: OPUS as never });
    room.end();
    expect(await codeOf(producing)).toBe('LECTURE_ENDED');
    expect((await room.media.stats()).producers).toBe(0);
  });
});

describe('LectureRoom: consuming while the lecture ends', () => {
  it('end during a consume leaves no consumer and no producer', async () => {
    const { room, trainer, site } = await liveRoom();
    const mic = await sendMicrophone(room, trainer);
    const caps = (await room.media.rtpCapabilities()) as unknown as WireRtpCapabilities;
    const recv = await room.streams.createTransport(site.actor, { direction: 'recv', rtpCapabilities: caps });
    const closedEvents: string[] = [];
    room.media.on('consumerclosed', (_peer, consumerId) => closedEvents.push(consumerId));
    const consuming = room.streams.consume(site.actor, { transportId: recv.id, producerId: mic });
    room.end(); // while the worker makes the consumer
    const outcome = await consuming.then((c) => c.id, (e: unknown) => (e instanceof TeleclassError ? e.code : 'uncoded'));
    // Either the stream had ended (NOT_FOUND) or the consumer was made and closed with its producer (announced).
    if (outcome !== 'NOT_FOUND') expect(closedEvents).toContain(outcome);
    await waitFor(async () => (await room.media.stats()).consumers === 0, 10_000, 'the consumer to close');
    expect(await room.media.stats()).toMatchObject({ producers: 0, consumers: 0 });
  });
});

describe('LectureRoom: presence', () => {
  it('join racing a disconnect leaves nobody (no participant, no attendance)', async () => {
    const room = await h.room();
    const via = new TestAttachment();
    const joining = h.join(room, { role: 'site' }, via);
    via.closed = true; // the socket drops while the join awaits the router
    expect(await codeOf(joining)).toBe('DISCONNECTED');
    expect(room.lecture.participants).toEqual([]);
    expect(await h.store.listAttendance(room.id)).toEqual([]);
    expect(via.participant).toBeUndefined();
  });

  it('two joins of one connection at once: one participant', async () => {
    const room = await h.room();
    const via = new TestAttachment();
    const results = await Promise.all([codeOf(h.join(room, { role: 'site' }, via)), codeOf(h.join(room, { role: 'site' }, via))]);
    expect(results.sort()).toEqual(['ALREADY_JOINED', 'ok']);
    expect(room.lecture.participants).toHaveLength(1);
  });

  it('the same person joining again replaces the old connection: one participant, the old one let go, one attendance session going on', async () => {
    const { room, site } = await liveRoom();
    const old = site.actor.participant;
    const { via: again } = await h.join(room, { role: 'site' });
    expect(site.letGoFor).toBe('replaced');
    expect(room.lecture.participants.filter((p) => p.identity === 'site:Ganja')).toEqual([again.participant]);
    await h.written();
    const rows = (await h.store.listAttendance(room.id)).filter((r) => r.identity === 'site:Ganja');
    // A takeover is one continuous presence: the session goes on (issue 18), it is not closed and reopened.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: old.attendanceId, leftAt: null });
    expect(again.participant!.attendanceId).toBe(old.attendanceId);
    expect(h.notices).toContainEqual({ to: old.id, name: 'replaced' });
    // The old connection speaks for nobody any more.
    const caps = (await room.media.rtpCapabilities()) as unknown as WireRtpCapabilities;
    expect(await codeOf(room.streams.createTransport({ participant: old, via: site }, { direction: 'recv', rtpCapabilities: caps }))).toBe('NOT_FOUND');
    expect((await room.media.stats()).peers).toBe(0); // nothing placed for the old participant
  });

  it('a connection detaching is not the participant leaving: it stays (media, attendance) until leave', async () => {
    const { room, site } = await liveRoom();
    const { participant } = site.actor;
    const caps = (await room.media.rtpCapabilities()) as unknown as WireRtpCapabilities;
    await room.streams.createTransport(site.actor, { direction: 'recv', rtpCapabilities: caps });
    room.detach(participant.id, site);
    expect(room.lecture.participant(participant.id)).toBe(participant);
    expect((await room.media.stats()).webRtcTransports).toBe(1);
    await h.written();
    expect((await h.store.listAttendance(room.id)).find((r) => r.id === participant.attendanceId)?.leftAt).toBeNull();
    // …but the detached connection may not act for it.
    expect(() => room.assertPresent({ participant, via: site })).toThrow(TeleclassError);
    room.leave(participant.id, 'disconnected');
    expect(room.lecture.participant(participant.id)).toBeUndefined();
    expect((await room.media.stats()).webRtcTransports).toBe(0);
    await h.written();
    expect((await h.store.listAttendance(room.id)).find((r) => r.id === participant.attendanceId)?.leftReason).toBe('disconnected');
  });

  it('leaving while the first transport is being placed keeps no media for the participant', async () => {
    const { room, site } = await liveRoom();
    const caps = (await room.media.rtpCapabilities()) as unknown as WireRtpCapabilities;
    const creating = room.streams.createTransport(site.actor, { direction: 'recv', rtpCapabilities: caps });
    room.leave(site.actor.participant.id, 'left'); // while its router is looked up
    expect(await codeOf(creating)).toBe('NOT_FOUND');
    expect(await room.media.stats()).toMatchObject({ peers: 0, webRtcTransports: 0 });
    expect(() => room.media.placementOf(site.actor.participant.id)).toThrow(TeleclassError);
  });

  it('leaving while a transport is being made closes it', async () => {
    const { room, site } = await liveRoom();
    const caps = (await room.media.rtpCapabilities()) as unknown as WireRtpCapabilities;
    await room.streams.createTransport(site.actor, { direction: 'recv', rtpCapabilities: caps }); // placed
    const creating = room.streams.createTransport(site.actor, { direction: 'recv', rtpCapabilities: caps });
    room.leave(site.actor.participant.id, 'left');
    expect(await codeOf(creating)).toBe('NOT_FOUND');
    expect((await room.media.stats()).webRtcTransports).toBe(0);
  });

  it('removal lets the connection go, refuses the identity and the device, and tells the trainer', async () => {
    const { room, site, trainer } = await liveRoom();
    const id = site.actor.participant.id;
    await room.remove(id);
    expect(site.letGoFor).toBe('removed');
    expect(room.lecture.participant(id)).toBeUndefined();
    expect(await h.store.isRemoved(room.id, 'site:Ganja', null)).toBe(true);
    expect(await h.store.isRemoved(room.id, 'someone-else', site.deviceId)).toBe(true);
    expect(h.notices).toContainEqual({ to: trainer.actor.participant.id, name: 'removals' });
    expect(await codeOf(h.join(room, { role: 'site' }))).toBe('REMOVED');
    await expect(room.remove(trainer.actor.participant.id)).rejects.toThrow(TeleclassError);
  });

  it('a removal made while a join awaits its reads refuses that join (checked again after the awaits)', async () => {
    const { room, site } = await liveRoom();
    const { identity } = site.actor.participant;
    const via = new TestAttachment(site.deviceId);
    // The new join of the same person reads "not removed" from the store, then the trainer removes them.
    const joining = h.join(room, { role: 'site', identity }, via);
    const removing = room.remove(site.actor.participant.id);
    expect(await codeOf(joining)).toBe('REMOVED');
    await removing;
    expect(room.lecture.participants.filter((p) => p.identity === identity)).toEqual([]);
    expect(await h.store.isRemoved(room.id, identity, null)).toBe(true);
  });

  it('attendance is in the store when the join answers, and in order: join, leave, join again continue one session', async () => {
    const room = await h.room();
    room.start();
    const { via } = await h.join(room, { role: 'site' });
    const first = via.actor.participant;
    // Answered: the session is written already (a crash now would not lose it).
    expect(await h.store.listAttendance(room.id)).toEqual([expect.objectContaining({ id: first.attendanceId, leftAt: null })]);
    room.leave(first.id, 'disconnected');
    const { via: back } = await h.join(room, { role: 'site' });
    await h.written();
    const rows = await h.store.listAttendance(room.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.attendanceId, leftAt: null, leftReason: null });
    expect(back.actor.participant.attendanceId).toBe(first.attendanceId);
  });

  it('people coming and going write no lecture state; a change of state is written once, in order', async () => {
    const room = await h.room();
    const writes: unknown[] = [];
    const update = h.store.updateLecture.bind(h.store);
    h.store.updateLecture = (id, patch) => {
      if (id === room.id) writes.push(patch);
      return update(id, patch);
    };
    try {
      room.start();
      await h.written();
      expect(writes).toEqual([expect.objectContaining({ state: 'live', locked: false })]);
      // Counts alone: a site and three attendees come, two go.
      const vias = [(await h.join(room, { role: 'site' })).via];
      for (let i = 0; i < 3; i++) vias.push((await h.join(room, { role: 'attendee' })).via);
      room.leave(vias[1]!.actor.participant.id, 'left');
      room.leave(vias[2]!.actor.participant.id, 'left');
      await h.written();
      expect(room.lecture.view().counts).toMatchObject({ sites: 1, attendees: 1 });
      expect(writes).toHaveLength(1);
      // A change of stored state after them is written, and what the store holds is the room's.
      room.setLocked(true);
      await h.written();
      expect(writes).toHaveLength(2);
      expect(await h.store.getLecture(room.id)).toMatchObject({ state: 'live', locked: true });
    } finally {
      h.store.updateLecture = update;
    }
  });
});

describe('Session resume across the store\'s reads', () => {
  /** A live lecture whose classroom lost its connection at `lostAt` and is held for a resume. */
  async function heldSite(graceMs = 60_000) {
    const { room, trainer, site } = await liveRoom();
    const resumes = new SessionResumes({ graceMs, released: (r) => h.registry.releaseIfEmpty(r.id) });
    const participant = site.actor.participant;
    const token = resumes.issue(room, participant);
    // Lost at the moment it joined (a session cannot close before it opened): any later close time is not this one.
    const lostAt = participant.joinedAt;
    await waitFor(() => Date.now() > lostAt, 1_000, 'the clock to move on');
    site.closed = true;
    resumes.hold(room, participant, site, lostAt);
    const resume = (via = new TestAttachment(site.deviceId)) => ({ via, answer: resumes.resume(token, via, { lectureId: room.id, identity: participant.identity }) });
    return { room, trainer, participant, resumes, resume, lostAt };
  }

  it('two resumes with one token at once: one takes the participant over, the other is refused after its read', async () => {
    const { room, participant, resume, resumes } = await heldSite();
    const a = resume();
    const b = resume(); // same tick: both pass the first checks, both read the store
    expect([await codeOf(a.answer), await codeOf(b.answer)].sort()).toEqual(['RESUME_REFUSED', 'ok']);
    const winner = a.via.participant ? a.via : b.via;
    expect(winner.participant).toBe(participant);
    expect((a.via.participant ? b.via : a.via).participant).toBeUndefined();
    expect(room.attachmentOf(participant.id)).toBe(winner);
    resumes.close();
  });

  it('removed while its resume reads the store: refused, nobody attached, the browser refused', async () => {
    const { room, participant, resume, resumes } = await heldSite();
    const { via, answer } = resume();
    const removing = room.remove(participant.id); // the trainer, during the read
    expect(await codeOf(answer)).toMatch(/^(REMOVED|RESUME_REFUSED)$/);
    await removing;
    expect(via.participant).toBeUndefined();
    expect(room.lecture.participant(participant.id)).toBeUndefined();
    expect(room.isAttached(via)).toBe(false);
    resumes.close();
  });

  it('the lecture ended while a resume reads the store: refused, nobody attached', async () => {
    const { room, participant, resume, resumes } = await heldSite();
    const { via, answer } = resume();
    room.end();
    expect(await codeOf(answer)).toBe('RESUME_REFUSED');
    expect(via.participant).toBeUndefined();
    expect(room.attachmentOf(participant.id)).toBeUndefined();
    resumes.close();
  });

  it('the grace ends while a resume reads the store: refused; attendance closed when the connection was lost', async () => {
    const { room, participant, resume, resumes, lostAt } = await heldSite(0);
    // graceMs 0: the hold let the participant go at once, at the moment of the loss.
    const { via, answer } = resume();
    expect(await codeOf(answer)).toBe('RESUME_REFUSED');
    expect(via.participant).toBeUndefined();
    expect(room.lecture.participant(participant.id)).toBeUndefined();
    await h.written();
    const row = (await h.store.listAttendance(room.id)).find((r) => r.id === participant.attendanceId);
    expect(row).toMatchObject({ leftAt: lostAt, leftReason: 'disconnected' });
    resumes.close();
  });

  it('a held participant is not written down as present by the heartbeat; its session closes at the loss when the grace ends', async () => {
    const { room, participant, resumes, lostAt } = await heldSite(300);
    const before = (await h.store.listAttendance(room.id)).find((r) => r.id === participant.attendanceId)!;
    await h.registry.touchAttendance(Date.now() + 60_000);
    await h.written();
    const rows = await h.store.listAttendance(room.id);
    expect(rows.find((r) => r.id === participant.attendanceId)!.lastSeenAt).toBe(before.lastSeenAt);
    // The others present are.
    expect(rows.filter((r) => r.role === 'trainer').map((r) => r.lastSeenAt)).toEqual([expect.any(Number)]);
    expect(rows.find((r) => r.role === 'trainer')!.lastSeenAt).toBeGreaterThan(before.lastSeenAt);
    await waitFor(() => room.lecture.participant(participant.id) === undefined, 5_000, 'the grace to end');
    await h.written();
    expect((await h.store.listAttendance(room.id)).find((r) => r.id === participant.attendanceId)).toMatchObject({ leftAt: lostAt, leftReason: 'disconnected' });
    resumes.close();
  });
});
