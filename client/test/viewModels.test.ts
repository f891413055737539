// The view models the studio and viewer pages render from (client/src/view): pure functions of the
// session's snapshot, so every state of a button or a floor control is checked without a DOM.
import { describe, expect, it } from 'vitest';
import type { LectureView, PeerView, StageView } from '@teleclass/shared';
import { initialState, type SessionState } from '../src/media/sessionState.js';
import { floorOpening, NO_FLOOR, viewerFloor } from '../src/view/floor.js';
import { studioBar, studioButtons } from '../src/view/studio.js';

const lecture = (state: LectureView['state'], patch: Partial<LectureView> = {}): LectureView => ({
  id: 'demo',
  title: 'Demo',
  scheduledStart: '2026-03-02T06:00:00.000Z',
  state,
  locked: false,
  stageSize: 1,
  recordingSince: null,
  startedAt: null,
  endedAt: null,
  counts: { trainers: 1, sites: 0, attendees: 0 },
  ...patch,
});
const peer = (id: string, role: PeerView['role']): PeerView => ({ id, role, displayName: id, site: null, joinedAt: 1, soundBlocked: false });
const staged = (peerId: string): StageView => ({ peerId, displayName: peerId, role: 'site', site: peerId, since: 1 });
const state = (patch: Partial<SessionState>, role: SessionState['role'] = 'trainer'): SessionState => ({ ...initialState('demo', role), ...patch });

describe('the studio buttons', () => {
  it('offer Go live once joined, say Starting… while busy, On air while sending, Resume after a pause', () => {
    expect(studioButtons(state({ phase: 'joining' })).goLive).toEqual({ disabled: true, labelKey: 'studio.goLive' });
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('waiting') })).goLive).toEqual({ disabled: false, labelKey: 'studio.goLive' });
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('waiting'), busy: true })).goLive).toEqual({ disabled: true, labelKey: 'studio.starting' });
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('live'), publishing: true })).goLive).toEqual({ disabled: true, labelKey: 'studio.onAir' });
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('live') })).goLive).toEqual({ disabled: false, labelKey: 'studio.resume' });
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('ended') })).goLive.disabled).toBe(true);
  });

  it('share only while on air, record only while live, mute until the end', () => {
    const waiting = studioButtons(state({ phase: 'joined', lecture: lecture('waiting') }));
    expect(waiting.share.disabled).toBe(true);
    expect(waiting.record).toEqual({ disabled: true, recording: false });
    expect(waiting.mic).toEqual({ disabled: false, muted: false });
    const live = studioButtons(state({ phase: 'joined', lecture: lecture('live', { recordingSince: 5 }), publishing: true, micMuted: true }));
    expect(live.share).toEqual({ disabled: false, sharing: false });
    expect(live.record).toEqual({ disabled: false, recording: true });
    expect(live.mic).toEqual({ disabled: false, muted: true });
    // A share being started (busy, not sharing yet) cannot be clicked twice; a running share can be stopped while busy.
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('live'), publishing: true, busy: true })).share.disabled).toBe(true);
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('live'), publishing: true, busy: true, sharing: true })).share.disabled).toBe(false);
    expect(studioButtons(state({ phase: 'joined', lecture: lecture('ended') })).mic.disabled).toBe(true);
  });

  it('the bar: counts by role, End only while live and idle, REC never after the end', () => {
    const peers = [peer('s1', 'site'), peer('s2', 'site'), peer('a', 'attendee')];
    expect(studioBar(null)).toEqual({ counts: { trainers: 0, sites: 0, attendees: 0 }, canEnd: false, recording: false });
    expect(studioBar(state({ phase: 'joined', lecture: lecture('live', { recordingSince: 1 }), peers }))).toEqual({
      counts: { trainers: 0, sites: 2, attendees: 1 },
      canEnd: true,
      recording: true,
    });
    expect(studioBar(state({ phase: 'joined', lecture: lecture('live'), busy: true })).canEnd).toBe(false);
    expect(studioBar(state({ phase: 'joined', lecture: lecture('ended', { recordingSince: 1 }) })).recording).toBe(false);
  });
});

describe('the floor', () => {
  it('opens only while live and while the stage and the invitations leave room', () => {
    expect(floorOpening(state({ phase: 'joined', lecture: lecture('waiting') }))).toBe('not-live');
    expect(floorOpening(state({ phase: 'joining', lecture: lecture('live') }))).toBe('not-live');
    expect(floorOpening(state({ phase: 'joined', lecture: lecture('live') }))).toBe('open');
    expect(floorOpening(state({ phase: 'joined', lecture: lecture('live'), stage: [staged('a')] }))).toBe('full');
    expect(floorOpening(state({ phase: 'joined', lecture: lecture('live'), invited: [staged('a')] }))).toBe('full');
    expect(floorOpening(state({ phase: 'joined', lecture: lecture('live', { stageSize: 2 }), stage: [staged('a')] }))).toBe('open');
  });

  it("a viewer's part: hand up, on stage, invited, may raise only while the lecture plays here", () => {
    expect(viewerFloor(null)).toEqual(NO_FLOOR);
    const self = { ...peer('me', 'site'), identity: 'site:me' };
    const trainer = peer('t', 'trainer');
    const playing = state({ phase: 'joined', connection: 'connected', lecture: lecture('live'), self, peers: [trainer] }, 'site');
    expect(viewerFloor(playing)).toEqual({ ...NO_FLOOR, canRaise: true });
    expect(viewerFloor({ ...playing, hands: [{ peerId: 'me', displayName: 'me', role: 'site', site: 'me', raisedAt: 1 }] })).toMatchObject({
      raised: true,
      canRaise: true,
    });
    expect(viewerFloor({ ...playing, stage: [staged('me')], mutedByTrainer: true })).toMatchObject({ onStage: true, canRaise: false, mutedByTrainer: true });
    expect(viewerFloor({ ...playing, invited: [staged('me')] }).invited).toBe(true);
    expect(viewerFloor({ ...playing, reconnecting: true }).canRaise).toBe(false);
    expect(viewerFloor({ ...playing, lecture: lecture('waiting') }).canRaise).toBe(false);
  });
});
