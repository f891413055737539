import { describe, expect, it } from 'vitest';
import type { LectureView, PeerView } from '@teleclass/shared';
import {
  initialState,
  NO_REMOTE,
  applyLobbyDelta,
  removePeer,
  trackSites,
  upsertPeer,
  type RemoteMedia,
  type SessionState,
} from '../src/media/sessionState.js';
import { createI18n } from '../src/i18n/index.js';
import { countByRole, formatCounts } from '../src/view/counts.js';
import { viewerScreen } from '../src/view/viewerScreen.js';

const peer = (id: string, role: PeerView['role'], displayName = id): PeerView => ({ id, role, displayName, site: null, joinedAt: 1, soundBlocked: false });

const remote = (consumerId: string, kind: 'audio' | 'video', source: RemoteMedia['source']): RemoteMedia => ({
  consumerId,
  producerId: `p-${consumerId}`,
  peerId: 'trainer',
  kind,
  source,
  track: { id: consumerId } as MediaStreamTrack,
  paused: false,
});

const lecture = (state: LectureView['state']): LectureView => ({
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
});

describe('participants', () => {
  it('adds, replaces and removes peers by id, keeping join order', () => {
    let peers = upsertPeer([], peer('a', 'site', 'Ganja'));
    peers = upsertPeer(peers, peer('b', 'attendee'));
    peers = upsertPeer(peers, peer('a', 'site', 'Ganja 2'));
    expect(peers.map((p) => p.displayName)).toEqual(['Ganja 2', 'b']);
    expect(removePeer(peers, 'a').map((p) => p.id)).toEqual(['b']);
    expect(removePeer(peers, 'nobody')).toHaveLength(2);
  });

  it('counts by role and formats the studio line', () => {
    const peers = [peer('t', 'trainer'), peer('s1', 'site'), peer('s2', 'site'), peer('a1', 'attendee'), peer('a2', 'attendee'), peer('a3', 'attendee')];
    const counts = countByRole(peers);
    expect(counts).toEqual({ trainers: 1, sites: 2, attendees: 3 });
    const en = createI18n('en').t;
    expect(formatCounts(counts, en)).toBe('2 classrooms · 3 attendees');
    expect(formatCounts({ sites: 1, attendees: 0 }, en)).toBe('1 classroom · 0 attendees');
    expect(formatCounts({ sites: 0, attendees: 1 }, en)).toBe('0 classrooms · 1 attendee');
    const ru = createI18n('ru').t;
    expect(formatCounts({ sites: 2, attendees: 5 }, ru)).toBe('2 аудитории · 5 участников');
    expect(formatCounts({ sites: 21, attendees: 1 }, createI18n('az').t)).toBe('21 auditoriya · 1 iştirakçı');
  });
});

describe('viewerScreen', () => {
  const base: SessionState = initialState('demo', 'site');
  const at = (patch: Partial<SessionState>) => viewerScreen({ ...base, ...patch });

  it('says connecting until the join is answered', () => {
    expect(at({ phase: 'joining' }).kind).toBe('connecting');
  });

  it('shows the sentence of the error, large, when the session cannot go on', () => {
    expect(at({ phase: 'failed', error: { code: 'TOKEN_EXPIRED', message: 'This link has expired.' } })).toEqual({ kind: 'error' });
  });

  it('waits in the lobby of a locked lecture', () => {
    expect(at({ phase: 'lobby', lecture: lecture('live') })).toEqual({ kind: 'lobby', titleKey: 'viewer.lobby' });
    // The lecture ending while someone waits is shown, not an endless wait.
    expect(at({ phase: 'lobby', lecture: lecture('ended') })).toMatchObject({ kind: 'ended' });
  });

  const withTrainer = { peers: [peer('trainer', 'trainer')] };

  it('waits, goes live, and ends with the lecture', () => {
    expect(at({ phase: 'joined', lecture: lecture('waiting') })).toEqual({ kind: 'waiting', titleKey: 'viewer.waiting' });
    expect(at({ phase: 'joined', lecture: lecture('live'), ...withTrainer })).toEqual({ kind: 'live', hasVideo: false });
    expect(
      at({ phase: 'joined', lecture: lecture('live'), ...withTrainer, remote: { ...NO_REMOTE, camera: remote('c', 'video', 'camera') } }),
    ).toEqual({ kind: 'live', hasVideo: true });
    expect(at({ phase: 'joined', lecture: lecture('ended') })).toEqual({ kind: 'ended', titleKey: 'viewer.ended' });
  });

  it('says the trainer dropped when they left, or when all their unpaused media stopped reaching the server', () => {
    const live = { phase: 'joined' as const, lecture: lecture('live') };
    const camera = remote('c', 'video', 'camera');
    const mic = { ...remote('m', 'audio', 'microphone'), paused: true };
    const media = { remote: { ...NO_REMOTE, camera, audio: [mic] } };
    expect(at({ ...live, ...media }).kind).toBe('trainer-gone'); // nobody is the trainer
    expect(at({ ...live, ...media, ...withTrainer }).kind).toBe('live');
    // The camera stopped at the server; the muted microphone does not count.
    expect(at({ ...live, ...media, ...withTrainer, stalledProducers: [camera.producerId] })).toEqual({ kind: 'trainer-gone', titleKey: 'viewer.trainerGone' });
    // A trainer back but not on air yet is not "dropped": the picture is on its way.
    expect(at({ ...live, ...withTrainer }).kind).toBe('live');
  });
});

describe('the trainer’s lists', () => {
  it('lobby deltas: who stopped waiting, then who started, never twice', () => {
    const w = (peerId: string) => ({ peerId, displayName: peerId, since: 1 });
    expect(applyLobbyDelta([w('a'), w('b')], { added: [w('c'), w('a')], removed: ['b'] })).toEqual([w('a'), w('c')]);
  });

  it('a classroom that left is flagged until a classroom of the same name is back; attendees are not', () => {
    const ganja = { ...peer('g1', 'site'), site: 'Ganja' };
    const dropped = trackSites([], ganja, 'left', 5);
    expect(dropped).toEqual([{ name: 'Ganja', at: 5 }]);
    expect(trackSites(dropped, peer('x', 'attendee'), 'left')).toEqual(dropped);
    expect(trackSites(dropped, { ...ganja, id: 'g2' }, 'joined')).toEqual([]);
  });
});
