// The studio's record toggle: startRecording/stopRecording send one request each, fold the
// answered lecture (with recordingSince) into the snapshot, and report a refusal instead of throwing.
import { describe, expect, it } from 'vitest';
import { TeleclassError, type LectureView } from '@teleclass/shared';
import { SessionActions } from '../src/media/SessionActions.js';
import { initialState, type SessionState } from '../src/media/sessionState.js';
import { Store } from '../src/media/Store.js';
import type { SignalingClient } from '../src/signaling/SignalingClient.js';

const lecture = (recordingSince: number | null): LectureView => ({
  id: 'demo',
  title: 'Demo',
  scheduledStart: '2026-03-02T06:00:00.000Z',
  state: 'live',
  locked: false,
  stageSize: 1,
  recordingSince,
  startedAt: 1,
  endedAt: null,
  counts: { trainers: 1, sites: 0, attendees: 0 },
});

function setup(answer: (method: string) => unknown) {
  const store = new Store<SessionState>({ ...initialState('demo', 'trainer'), lecture: lecture(null) });
  const sent: string[] = [];
  const reported: unknown[] = [];
  const signaling = {
    request: async (method: string) => {
      sent.push(method);
      return answer(method);
    },
  } as unknown as SignalingClient;
  const actions = new SessionActions(() => ({ signaling, store, report: (error) => reported.push(error) }));
  return { store, sent, reported, actions };
}

describe('recording actions', () => {
  it('starts and stops, folding the answered lecture into the snapshot', async () => {
    const { store, sent, actions } = setup((method) => lecture(method === 'startRecording' ? 1_700_000_000_000 : null));
    await expect(actions.startRecording()).resolves.toBe(true);
    expect(store.get().lecture?.recordingSince).toBe(1_700_000_000_000);
    await expect(actions.stopRecording()).resolves.toBe(true);
    expect(store.get().lecture?.recordingSince).toBeNull();
    expect(sent).toEqual(['startRecording', 'stopRecording']);
  });

  it('reports a refusal and leaves the snapshot alone', async () => {
    const { store, reported, actions } = setup(() => {
      throw new TeleclassError('LECTURE_NOT_LIVE');
    });
    await expect(actions.startRecording()).resolves.toBe(false);
    expect(store.get().lecture?.recordingSince).toBeNull();
    expect(reported).toHaveLength(1);
  });
});
